import "@/lib/zod-setup";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import * as z from "zod";

import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { enrollMutation } from "@/lib/api/@tanstack/react-query.gen";
import { zParticipantCreate } from "@/lib/api/zod.gen";
import { errorMessage } from "@/lib/http-error";

import { campaignScope } from "../api";

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const schema = zParticipantCreate
  .extend({
    email: z.string().trim().min(1, "Enter the participant's email").email("Enter an email address like ada@example.com"),
    timezone: z.string().trim(),
    window_start: z.union([z.literal(""), z.string().regex(HHMM, "HH:MM")]),
    window_end: z.union([z.literal(""), z.string().regex(HHMM, "HH:MM")]),
  })
  .refine((v) => !v.window_start === !v.window_end, { path: ["window_end"], message: "Give both ends of the window, or neither" });
type Values = z.infer<typeof schema>;

/** Enroll one participant by email (their zone and personal window optional). */
export function EnrollOne({ campaignId, timezone }: { campaignId: string; timezone: string }) {
  const queryClient = useQueryClient();
  const [said, setSaid] = useState("");
  const form = useForm<Values>({ resolver: zodResolver(schema), defaultValues: { email: "", timezone: "", window_start: "", window_end: "" } });
  const enroll = useMutation({
    ...enrollMutation(),
    onSuccess: (p) => {
      setSaid(`Enrolled as ${p.id.slice(0, 8)}.`);
      form.reset();
      void queryClient.invalidateQueries(campaignScope(campaignId));
    },
    onError: (error) => setSaid(errorMessage(error)),
  });
  const e = form.formState.errors;
  return (
    <form
      noValidate
      className="grid gap-3"
      aria-label="Enroll one participant"
      onSubmit={form.handleSubmit((v) =>
        enroll.mutate({ path: { campaign_id: campaignId }, body: { email: v.email, timezone: v.timezone || null, window_start: v.window_start || null, window_end: v.window_end || null } }),
      )}
    >
      <Field label="Email" error={e.email?.message}>{(p) => <Input {...p} type="email" autoComplete="off" {...form.register("email")} />}</Field>
      <Field label="Time zone" hint={`Empty: ${timezone}`}>{(p) => <Input {...p} {...form.register("timezone")} list="console-zones" />}</Field>
      <div className="grid grid-cols-2 gap-2">
        <Field label="Day starts" error={e.window_start?.message}>{(p) => <Input {...p} type="time" {...form.register("window_start")} />}</Field>
        <Field label="Day ends" error={e.window_end?.message}>{(p) => <Input {...p} type="time" {...form.register("window_end")} />}</Field>
      </div>
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={enroll.isPending}>
          Enroll
        </Button>
        <p role="status" aria-live="polite" className={enroll.isError ? "text-sm text-destructive" : "text-sm text-muted-foreground"}>
          {said}
        </p>
      </div>
    </form>
  );
}
