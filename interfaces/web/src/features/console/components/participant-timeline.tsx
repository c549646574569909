import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";

import { Alert } from "@/components/ui/alert";
import { Skeleton } from "@/components/ui/skeleton";
import type { Journey, TimelineEvent } from "@/lib/api";
import { errorMessage } from "@/lib/http-error";

import { consoleQueries } from "../api";
import { calendarDate, dateTime, shortId } from "../lib/format";
import { StatusBadge } from "./status-badge";

function Events({ events, label }: { events: TimelineEvent[]; label: string }) {
  return (
    <ol className="grid gap-1 border-l pl-4" aria-label={label}>
      {events.map((e, i) => (
        <li key={i} className="relative text-sm">
          <span aria-hidden="true" className="absolute top-1.5 -left-[1.3rem] size-2 rounded-full bg-primary" />
          <span className="font-medium">{e.kind.replaceAll("_", " ")}</span> <time dateTime={e.at} className="text-muted-foreground">{dateTime(e.at)}</time>
          {e.detail && <span className="block text-xs text-muted-foreground">{e.detail}</span>}
        </li>
      ))}
    </ol>
  );
}

function JourneyCard({ journey }: { journey: Journey }) {
  const label = `Prompt ${journey.sequence + 1} of ${calendarDate(journey.day)}`;
  return (
    <li className="grid gap-2 rounded-lg border p-3">
      <div className="flex flex-wrap items-center gap-2">
        <h3 className="text-sm font-semibold">{label}</h3>
        <StatusBadge status={journey.outcome} />
        <span className="text-xs text-muted-foreground">scheduled {dateTime(journey.scheduled_at)}</span>
      </div>
      {journey.reason && <p className="text-xs text-muted-foreground">Reason: {journey.reason}</p>}
      <Events events={journey.events} label={`Events of ${label}`} />
    </li>
  );
}

/** One participant: their enrollment's events, then one journey per prompt. */
export function ParticipantTimeline({ campaignId, participantId, live }: { campaignId: string; participantId: string; live: boolean }) {
  const { data, isPending, isError, error } = useQuery(consoleQueries.timeline(campaignId, participantId, live));
  if (isPending) return <Skeleton className="h-48" />;
  if (isError) return <Alert variant="destructive">{errorMessage(error)}</Alert>;
  const p = data.participant;
  const now = new Date().toISOString();
  const started = data.journeys.filter((j) => j.outcome !== "pending" || j.scheduled_at <= now || j.status !== "scheduled").sort((a, b) => b.scheduled_at.localeCompare(a.scheduled_at));
  const upcoming = data.journeys.filter((j) => !started.includes(j)).sort((a, b) => a.scheduled_at.localeCompare(b.scheduled_at));
  return (
    <div className="grid gap-4">
      <div className="flex flex-wrap items-center gap-2">
        <Link to={`/console/campaigns/${campaignId}/participants`} className="text-sm underline underline-offset-4">
          All participants
        </Link>
      </div>
      <h2 className="text-xl font-semibold">
        Participant <span className="font-mono">{shortId(p.id)}</span> <StatusBadge status={p.display_status} />
      </h2>
      <p className="text-sm text-muted-foreground">
        {p.source === "self" ? "Joined from the join page" : "Enrolled by a researcher"} · {p.timezone}
        {p.window_start && p.window_end ? ` · ${p.window_start}–${p.window_end}` : ""}
      </p>
      <section aria-labelledby="enrollment-events" className="grid gap-2">
        <h3 id="enrollment-events" className="font-semibold">
          Enrollment
        </h3>
        <Events events={data.events} label="Enrollment events" />
      </section>
      <section aria-labelledby="journeys" className="grid gap-2">
        <h3 id="journeys" className="font-semibold">
          Prompts so far ({started.length}), newest first
        </h3>
        {started.length === 0 && <p className="text-sm text-muted-foreground">No prompt has come due yet.</p>}
        <ol className="grid gap-2">
          {started.map((j) => (
            <JourneyCard key={j.prompt_id} journey={j} />
          ))}
        </ol>
        {upcoming.length > 0 && (
          <details className="rounded-lg border p-3">
            <summary className="cursor-pointer text-sm font-medium">Upcoming prompts ({upcoming.length})</summary>
            <ul className="mt-2 grid gap-1 text-sm">
              {upcoming.map((j) => (
                <li key={j.prompt_id}>
                  <time dateTime={j.scheduled_at}>{dateTime(j.scheduled_at)}</time>
                </li>
              ))}
            </ul>
          </details>
        )}
      </section>
    </div>
  );
}
