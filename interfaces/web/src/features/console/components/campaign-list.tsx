import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Copy, Plus } from "lucide-react";
import { useState } from "react";
import { Link, useNavigate } from "react-router";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import type { CampaignOut } from "@/lib/api";
import { createCampaignMutation, duplicateCampaignMutation } from "@/lib/api/@tanstack/react-query.gen";
import { errorMessage } from "@/lib/http-error";

import { consoleQueries } from "../api";
import { browserZone, calendarDate, percent, rateOf, todayIso } from "../lib/format";
import { StatusBadge } from "./status-badge";

/** A new draft: a week from today, one mood question, four random prompts a day. */
export function draftBody(name: string) {
  return {
    name,
    description: "",
    timezone: browserZone(),
    start_date: todayIso(1),
    end_date: todayIso(7),
    expiry_minutes: 60,
    completion_minutes: 15,
    reminders: [],
    questionnaire: { questions: [{ id: "mood", type: "likert" as const, text: "How is your mood right now?", required: true, points: 5, labels: ["very bad", "very good"] }] },
    schedule: { kind: "random" as const, prompts_per_day: 4, window_start: "09:00", window_end: "21:00", min_gap_minutes: 60 },
  };
}

function NewCampaign() {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const create = useMutation({
    ...createCampaignMutation(),
    onSuccess: (campaign) => {
      void queryClient.invalidateQueries({ queryKey: consoleQueries.campaignsKey() });
      navigate(`/console/campaigns/${campaign.id}/build`);
    },
  });
  return (
    <Dialog
      open={open}
      onOpenChange={setOpen}
      title="New campaign"
      description="Starts as a draft: you write the questions and the schedule next, and launch when the review is clear."
      trigger={
        <Button>
          <Plus aria-hidden="true" /> New campaign
        </Button>
      }
    >
      <form
        className="grid gap-4"
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) create.mutate({ body: draftBody(name.trim()) });
        }}
      >
        <Field label="Campaign name" error={create.isError ? errorMessage(create.error) : null}>
          {(props) => <Input {...props} value={name} maxLength={200} required onChange={(e) => setName(e.target.value)} placeholder="Daily mood, spring 2027" />}
        </Field>
        <div className="flex justify-end">
          <Button type="submit" disabled={create.isPending || !name.trim()}>
            Create draft
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

/** "4 random prompts a day, 09:00–21:00" */
export function scheduleSummary(schedule: Record<string, unknown>): string {
  const window = `${schedule.window_start ?? "09:00"}–${schedule.window_end ?? "21:00"}`;
  if (schedule.kind === "fixed") return `${(schedule.times as string[] | undefined)?.length ?? 0} fixed times a day`;
  if (schedule.kind === "interval") return `every ${schedule.every_minutes} min, ${window}`;
  return `${schedule.prompts_per_day} random prompts a day, ${window}`;
}

function CampaignRow({ campaign }: { campaign: CampaignOut }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const duplicate = useMutation({
    ...duplicateCampaignMutation(),
    onSuccess: (copy) => {
      void queryClient.invalidateQueries({ queryKey: consoleQueries.campaignsKey() });
      navigate(`/console/campaigns/${copy.id}/build`);
    },
  });
  const counts = campaign.counts;
  const target = campaign.status === "draft" ? "build" : "compliance";
  return (
    <li className="grid gap-2 rounded-lg border bg-card p-4 sm:grid-cols-[1fr_auto] sm:items-center">
      <div className="grid gap-1">
        <div className="flex flex-wrap items-center gap-2">
          <Link to={`/console/campaigns/${campaign.id}/${target}`} className="font-semibold underline-offset-4 hover:underline">
            {campaign.name}
          </Link>
          <StatusBadge status={campaign.status} />
        </div>
        <dl className="flex flex-wrap gap-x-4 gap-y-1 text-sm text-muted-foreground">
          <div>
            <dt className="sr-only">Dates</dt>
            <dd>
              {calendarDate(campaign.start_date)} – {calendarDate(campaign.end_date)}
            </dd>
          </div>
          <div>
            <dt className="sr-only">Schedule</dt>
            <dd>{scheduleSummary(campaign.schedule as Record<string, unknown>)}</dd>
          </div>
          <div className="flex gap-1">
            <dt>Participants</dt>
            <dd className="font-medium text-foreground">{counts.participants ?? 0}</dd>
          </div>
          <div className="flex gap-1">
            <dt>Response rate</dt>
            <dd className="font-medium text-foreground">{percent(rateOf(counts.answered ?? 0, (counts.sent ?? 0) + (counts.answered ?? 0) + (counts.expired ?? 0)))}</dd>
          </div>
        </dl>
        {duplicate.isError && <p className="text-sm text-destructive">{errorMessage(duplicate.error)}</p>}
      </div>
      <Button variant="outline" size="sm" aria-label={`Duplicate ${campaign.name}`} disabled={duplicate.isPending} onClick={() => duplicate.mutate({ path: { campaign_id: campaign.id } })}>
        <Copy aria-hidden="true" /> Duplicate
      </Button>
    </li>
  );
}

/** The researcher's campaigns, newest first, with what each is doing. */
export function CampaignList() {
  const { data, isPending, isError, error } = useQuery(consoleQueries.campaigns());
  const campaigns = [...(data?.campaigns ?? [])].sort((a, b) => b.created_at.localeCompare(a.created_at));
  return (
    <section className="grid gap-4" aria-labelledby="campaigns-heading">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 id="campaigns-heading" className="text-2xl font-semibold">
          Campaigns
        </h1>
        <div className="flex gap-2">
          <Button asChild variant="outline">
            <Link to="/console/audit">Audit</Link>
          </Button>
          <NewCampaign />
        </div>
      </div>
      {isPending && <Skeleton className="h-24" />}
      {isError && <Alert variant="destructive">{errorMessage(error)}</Alert>}
      {data && campaigns.length === 0 && <p className="rounded-lg border border-dashed p-6 text-center text-muted-foreground">No campaign yet. Create one: it starts as a draft you can edit freely.</p>}
      <ul className="grid gap-3">
        {campaigns.map((c) => (
          <CampaignRow key={c.id} campaign={c} />
        ))}
      </ul>
    </section>
  );
}
