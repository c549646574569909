import "@/lib/zod-setup";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId } from "react";
import { useForm } from "react-hook-form";
import { useNavigate } from "react-router";
import * as z from "zod";

import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { createListMutation } from "@/lib/api/@tanstack/react-query.gen";
import { errorMessage } from "@/lib/http-error";

import { showList } from "../api";

const schema = z.object({
  name: z.string().trim().min(1, "Give the list a name").max(80, "Use at most 80 characters"),
});
type Values = z.infer<typeof schema>;

/** Names a new list, then opens it. */
export function NewListForm() {
  const ids = { name: useId(), error: useId() };
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const form = useForm<Values>({ resolver: zodResolver(schema), defaultValues: { name: "" } });
  const create = useMutation({
    ...createListMutation(),
    onSuccess: (list) => {
      showList(queryClient, list);
      navigate(`/lists/${list.id}`);
    },
  });
  const error = form.formState.errors.name?.message ?? (create.isError ? errorMessage(create.error) : undefined);
  return (
    <form noValidate className="flex flex-wrap items-end gap-3" onSubmit={form.handleSubmit((v) => create.mutate({ body: v }))}>
      <div className="grid gap-2">
        <Label htmlFor={ids.name}>New list</Label>
        <Input id={ids.name} className="w-64" placeholder="Friday films" aria-invalid={!!error} aria-describedby={error ? ids.error : undefined} {...form.register("name")} />
      </div>
      <Button type="submit" disabled={create.isPending}>
        Create list
      </Button>
      {error && (
        <p id={ids.error} className="basis-full text-sm text-destructive">
          {error}
        </p>
      )}
    </form>
  );
}
