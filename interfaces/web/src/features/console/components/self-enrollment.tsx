import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";

import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { type CampaignOut, joinQr } from "@/lib/api";
import { patchCampaignMutation } from "@/lib/api/@tanstack/react-query.gen";
import { errorMessage } from "@/lib/http-error";

import { campaignScope, consoleQueries } from "../api";

function JoinQr({ campaignId, joinUrl }: { campaignId: string; joinUrl: string }) {
  const qr = useQuery({
    queryKey: ["console", "join-qr", campaignId, joinUrl],
    queryFn: async () => URL.createObjectURL((await joinQr({ path: { campaign_id: campaignId }, parseAs: "blob", throwOnError: true })).data as Blob),
    staleTime: Infinity,
  });
  useEffect(() => () => void (qr.data && URL.revokeObjectURL(qr.data)), [qr.data]);
  if (!qr.data) return null;
  return (
    <a href={qr.data} download="join-qr.svg" className="w-fit rounded-md border bg-white p-1">
      <img src={qr.data} alt="QR code of the join link (select to download the SVG)" className="size-40" />
    </a>
  );
}

function local(iso: string | null | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/** The public join page's settings (texts versioned with the campaign), its link and QR. */
export function SelfEnrollment({ campaign }: { campaign: CampaignOut }) {
  const current = campaign.self_enrollment;
  const [open, setOpen] = useState(current?.open ?? false);
  const [information, setInformation] = useState(current?.information ?? "");
  const [consent, setConsent] = useState(current?.consent_text ?? "");
  const [cap, setCap] = useState(current?.max_participants ? String(current.max_participants) : "");
  const [closes, setCloses] = useState(local(current?.closes_at));
  const [askZone, setAskZone] = useState(current?.ask_timezone ?? true);
  const [askWindow, setAskWindow] = useState(current?.ask_window ?? true);
  const [said, setSaid] = useState("");
  const [copied, setCopied] = useState("");
  const queryClient = useQueryClient();
  const patch = useMutation({
    ...patchCampaignMutation(),
    onSuccess: (updated) => {
      queryClient.setQueryData(consoleQueries.campaignKey(campaign.id), updated);
      void queryClient.invalidateQueries(campaignScope(campaign.id));
      setSaid("Join page saved.");
    },
    onError: (error) => setSaid(errorMessage(error)),
  });
  const editable = ["draft", "active", "paused"].includes(campaign.status);
  const save = () =>
    patch.mutate({
      path: { campaign_id: campaign.id },
      body: {
        self_enrollment: {
          open,
          information,
          consent_text: consent,
          max_participants: cap.trim() ? Number(cap) : null,
          closes_at: closes ? new Date(closes).toISOString() : null,
          ask_timezone: askZone,
          ask_window: askWindow,
        },
      },
    });
  return (
    <div className="grid gap-4">
      {campaign.join_url && current?.open && (
        <div className="grid gap-2 rounded-md border p-3">
          <p className="text-sm font-medium">Join link</p>
          <div className="flex flex-wrap items-center gap-2">
            <a href={campaign.join_url} className="font-mono text-sm break-all underline underline-offset-4" target="_blank" rel="noreferrer">
              {campaign.join_url}
            </a>
            <Button
              type="button"
              size="sm"
              variant="outline"
              onClick={() => void navigator.clipboard?.writeText(campaign.join_url ?? "").then(() => setCopied("Link copied."), () => setCopied("Copy it by hand: the browser refused."))}
            >
              Copy link
            </Button>
            <span role="status" className="text-xs text-muted-foreground">
              {copied}
            </span>
          </div>
          <JoinQr campaignId={campaign.id} joinUrl={campaign.join_url} />
          {editable && (
            <ConfirmDialog
              title="Issue a new join link?"
              description="The current link and QR code stop working at once; posters and emails that carry them must be replaced."
              confirm="Issue a new link"
              destructive
              onConfirm={() => patch.mutate({ path: { campaign_id: campaign.id }, body: { rotate_join_code: true } })}
              trigger={
                <Button type="button" size="sm" variant="ghost" className="w-fit">
                  Issue a new link
                </Button>
              }
            />
          )}
        </div>
      )}
      <form
        className="grid gap-3"
        aria-label="Join page settings"
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        <fieldset disabled={!editable} className="grid gap-3">
          <label className="flex items-center gap-2 text-sm font-medium">
            <input type="checkbox" className="size-4 accent-primary" checked={open} onChange={(e) => setOpen(e.target.checked)} />
            Open self-enrollment
          </label>
          <Field label="Information sheet" hint="What the study is, who runs it, what is kept, how to reach you">
            {(p) => <Textarea {...p} rows={4} value={information} onChange={(e) => setInformation(e.target.value)} />}
          </Field>
          <Field label="Consent text" hint={`Changing a text makes a new consent version (now v${current?.consent_version ?? 0})`}>
            {(p) => <Textarea {...p} rows={3} value={consent} onChange={(e) => setConsent(e.target.value)} />}
          </Field>
          <div className="grid gap-2 sm:grid-cols-2">
            <Field label="At most (participants)" hint="Empty: no cap">{(p) => <Input {...p} type="number" min="1" value={cap} onChange={(e) => setCap(e.target.value)} />}</Field>
            <Field label="Closes at" hint="Empty: when the campaign ends">{(p) => <Input {...p} type="datetime-local" value={closes} onChange={(e) => setCloses(e.target.value)} />}</Field>
          </div>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" className="size-4 accent-primary" checked={askZone} onChange={(e) => setAskZone(e.target.checked)} />
            Ask for their time zone
          </label>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" className="size-4 accent-primary" checked={askWindow} onChange={(e) => setAskWindow(e.target.checked)} />
            Ask for their daily window
          </label>
          <div className="flex items-center gap-3">
            <Button type="submit" disabled={patch.isPending}>
              Save join page
            </Button>
            <p role="status" aria-live="polite" className={patch.isError ? "text-sm text-destructive" : "text-sm text-muted-foreground"}>
              {said}
            </p>
          </div>
        </fieldset>
      </form>
    </div>
  );
}
