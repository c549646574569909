import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { Alert } from "@/components/ui/alert";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { simulateNew } from "@/lib/api";
import { errorMessage } from "@/lib/http-error";

import { useDebounced } from "../hooks";
import { definitionBody, type Draft } from "../lib/draft";
import { calendarDate } from "../lib/format";

/** The real scheduler run over the campaign's days for a sample participant (nothing is
 *  written): their days with the prompts' local times, DST changes marked, and the burden. */
export function PreviewCalendar({ draft }: { draft: Draft }) {
  const [zone, setZone] = useState("");
  const body = useDebounced({ ...definitionBody(draft), participants: 20, sample: zone.trim() ? { timezone: zone.trim() } : null }, 500);
  const sim = useQuery({
    queryKey: ["console", "simulate", body],
    queryFn: async () => (await simulateNew({ body, throwOnError: true })).data,
    placeholderData: (previous) => previous,
    retry: false,
  });
  const data = sim.data;
  const peak = Math.max(1, ...(data?.coverage_by_hour ?? [0]));
  return (
    <section aria-labelledby="calendar-heading" className="grid gap-3">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <h2 id="calendar-heading" className="text-lg font-semibold">
          Preview calendar
        </h2>
        <Field label="Sample participant's time zone" className="w-60" hint={`Empty: the campaign's (${draft.timezone})`}>
          {(p) => <Input {...p} value={zone} onChange={(e) => setZone(e.target.value)} placeholder="America/New_York" />}
        </Field>
      </div>
      {sim.isError && <Alert variant="destructive">{errorMessage(sim.error)}</Alert>}
      {data && (
        <>
          <dl className="grid grid-cols-2 gap-2 text-sm sm:grid-cols-4">
            <Figure label="Prompts a day" value={data.prompts_per_participant_day.toFixed(1)} />
            <Figure label="Emails per participant" value={String(Math.round(data.emails / Math.max(1, data.participants)))} />
            <Figure label="Night prompts (22–07) per participant" value={String(Math.round(data.night_prompts / Math.max(1, data.participants)))} />
            <Figure label="Shortest gap" value={data.min_gap_minutes == null ? "—" : `${Math.round(data.min_gap_minutes)} min`} />
          </dl>
          {data.calendar.dst_changes.length > 0 && (
            <p role="note" aria-label="Daylight saving" className="rounded-md border border-amber-400 bg-amber-50 p-2 text-sm text-amber-950 dark:bg-amber-950 dark:text-amber-50">
              The clocks change in {data.calendar.timezone} on {data.calendar.dst_changes.map(calendarDate).join(", ")}: the prompts keep their local times.
            </p>
          )}
          <div className="grid gap-1" aria-label={`Prompts by local hour over ${data.participants} simulated participants; the busiest hour is ${data.coverage_by_hour.indexOf(peak)}:00`} role="img">
            <div className="flex h-12 items-end gap-px">
              {data.coverage_by_hour.map((n, hour) => (
                <div key={hour} className="flex-1 rounded-t-sm bg-primary/70" style={{ height: `${(n / peak) * 100}%` }} title={`${hour}:00 – ${n}`} />
              ))}
            </div>
            <div className="flex justify-between text-[10px] text-muted-foreground" aria-hidden="true">
              <span>0h</span>
              <span>6h</span>
              <span>12h</span>
              <span>18h</span>
              <span>24h</span>
            </div>
          </div>
          <table className="w-full text-sm">
            <caption className="mb-1 text-left text-muted-foreground">
              {data.calendar.timezone}, window {data.calendar.window_start}–{data.calendar.window_end}
            </caption>
            <thead className="sr-only">
              <tr>
                <th scope="col">Day</th>
                <th scope="col">UTC offset</th>
                <th scope="col">Prompts (local time)</th>
              </tr>
            </thead>
            <tbody>
              {data.calendar.days.map((day) => (
                <tr key={day.date} className="border-t align-top">
                  <th scope="row" className="py-1.5 pr-2 text-left font-medium whitespace-nowrap">
                    {day.weekday.slice(0, 3)} {calendarDate(day.date)}
                  </th>
                  <td className="py-1.5 pr-2 whitespace-nowrap text-muted-foreground">
                    {day.utc_offset}
                    {day.dst_change && <span className="ml-1 rounded bg-amber-200 px-1 text-xs font-medium text-amber-950">DST change</span>}
                  </td>
                  <td className="py-1.5">
                    <ul className="flex flex-wrap gap-1" aria-label={`Prompts on ${day.date}`}>
                      {day.prompts.map((p) => (
                        <li key={p.at} className="rounded bg-secondary px-1.5 font-mono text-xs">
                          {p.local_time}
                        </li>
                      ))}
                      {day.prompts.length === 0 && <li className="text-muted-foreground">none</li>}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {!data && !sim.isError && <p className="text-sm text-muted-foreground">Running the scheduler…</p>}
    </section>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div className="rounded-md border p-2">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="text-lg font-semibold">{value}</dd>
    </div>
  );
}
