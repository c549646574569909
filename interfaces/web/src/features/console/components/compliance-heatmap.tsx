import { Link } from "react-router";

import type { MonitorRow } from "@/lib/api";
import { cn } from "@/lib/utils";

import { calendarDate, dateTime, shortId } from "../lib/format";
import { heatClass, heatLabel, heatLevel, OUTCOME_CLASSES, visibleDays } from "../lib/heatmap";

const MAX_DAYS = 31;

/** Participant x day: each cell the day's response rate, in colour and in words. */
export function ComplianceHeatmap({ campaignId, days, rows }: { campaignId: string; days: string[]; rows: MonitorRow[] }) {
  const shown = visibleDays(days, MAX_DAYS);
  return (
    <section aria-labelledby="heatmap-heading" className="grid gap-2">
      <h2 id="heatmap-heading" className="font-semibold">
        Response rate by participant and day
      </h2>
      <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Heatmap, scrolls sideways">
        <table className="border-separate border-spacing-0.5 text-xs">
          <thead>
            <tr>
              <th scope="col" className="sr-only">
                Participant
              </th>
              {shown.map((d) => (
                <th key={d} scope="col" className="px-0.5 font-normal text-muted-foreground" title={calendarDate(d)}>
                  <span aria-hidden="true">{d.slice(8)}</span>
                  <span className="sr-only">{calendarDate(d)}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const byDay = new Map(row.cells.map((c) => [c.day, c]));
              return (
                <tr key={row.participant}>
                  <th scope="row" className="pr-2 text-left font-mono font-normal">
                    <Link to={`/console/campaigns/${campaignId}/participants/${row.participant}`} className="underline-offset-4 hover:underline">
                      {shortId(row.participant)}
                    </Link>
                  </th>
                  {shown.map((d) => {
                    const c = byDay.get(d);
                    const sent = c?.sent ?? 0;
                    const answered = c?.answered ?? 0;
                    return (
                      <td key={d} className={cn("size-7 min-w-7 rounded-sm text-center", heatClass(heatLevel(sent, answered)))} title={heatLabel(d, sent, answered)}>
                        <span aria-hidden="true">{sent ? answered : ""}</span>
                        <span className="sr-only">{heatLabel(d, sent, answered)}</span>
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="text-xs text-muted-foreground">Each cell shows the answers of that day; the colour goes from none answered (red) to all answered (dark green); grey: nothing sent.</p>
    </section>
  );
}

/** One block per prompt, coloured by outcome, per participant. */
export function TrackerStrips({ campaignId, rows }: { campaignId: string; rows: MonitorRow[] }) {
  return (
    <section aria-labelledby="strips-heading" className="grid gap-2">
      <h2 id="strips-heading" className="font-semibold">
        Prompts per participant
      </h2>
      <ul className="grid gap-1.5">
        {rows.map((row) => (
          <li key={row.participant} className="grid grid-cols-[5rem_1fr] items-center gap-2">
            <Link to={`/console/campaigns/${campaignId}/participants/${row.participant}`} className="font-mono text-xs underline-offset-4 hover:underline">
              {shortId(row.participant)}
            </Link>
            <ol className="flex flex-wrap gap-0.5" aria-label={`Prompts of ${shortId(row.participant)}: ${row.strip.filter((b) => b.outcome === "answered").length} answered of ${row.strip.length}`}>
              {row.strip.map((b) => (
                <li key={b.prompt_id} className={cn("h-4 w-2.5 rounded-[2px]", OUTCOME_CLASSES[b.outcome])} title={`${dateTime(b.scheduled_at)}: ${b.outcome}${b.reason ? ` (${b.reason})` : ""}`}>
                  <span className="sr-only">
                    {dateTime(b.scheduled_at)}: {b.outcome}
                  </span>
                </li>
              ))}
            </ol>
          </li>
        ))}
      </ul>
      <p className="flex flex-wrap gap-3 text-xs text-muted-foreground" aria-hidden="true">
        {Object.entries(OUTCOME_CLASSES).map(([k, c]) => (
          <span key={k} className="flex items-center gap-1">
            <span className={cn("inline-block h-3 w-2.5 rounded-[2px]", c)} /> {k}
          </span>
        ))}
      </p>
    </section>
  );
}
