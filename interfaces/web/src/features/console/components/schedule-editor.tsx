import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import type { Schedule } from "@/lib/api";

import type { Draft } from "../lib/draft";
import { parseMinutes, parseTimes } from "../lib/draft";

const KINDS: { kind: Schedule["kind"]; label: string; hint: string }[] = [
  { kind: "random", label: "Random (stratified)", hint: "N moments a day, one drawn in each equal block of the window, at least a gap apart" },
  { kind: "fixed", label: "Fixed times", hint: "The same local times every day" },
  { kind: "interval", label: "Interval", hint: "Every N minutes from the window's start to its end" },
];

const int = (v: string): number | null => (v.trim() === "" ? null : Math.trunc(Number(v)));

/** When prompts go out: kind, daily window, per-kind settings, link expiry and reminders. */
export function ScheduleEditor({ draft, onChange }: { draft: Draft; onChange: (patch: Partial<Draft>) => void }) {
  const s = draft.schedule;
  const setS = (patch: Partial<Schedule>) => onChange({ schedule: { ...s, ...patch } });
  return (
    <div className="grid content-start gap-4 self-start">
      <fieldset>
        <legend className="mb-2 text-sm font-medium">Kind of schedule</legend>
        <div className="grid gap-2">
        {KINDS.map((k) => (
          <label key={k.kind} className="flex items-start gap-2 rounded-md border p-2 text-sm has-[:checked]:border-primary">
            <input type="radio" name="schedule-kind" className="mt-0.5 size-4 accent-primary" value={k.kind} checked={s.kind === k.kind} onChange={() => setS({ kind: k.kind })} />
            <span>
              <span className="font-medium">{k.label}</span>
              <span className="block text-muted-foreground">{k.hint}</span>
            </span>
          </label>
        ))}
        </div>
      </fieldset>
      {s.kind !== "fixed" && (
      <div className="grid grid-cols-2 gap-2">
        <Field label="Window start" hint="Local time">{(p) => <Input {...p} type="time" value={s.window_start ?? "09:00"} onChange={(e) => setS({ window_start: e.target.value })} />}</Field>
        <Field label="Window end" hint="Earlier than the start: past midnight">{(p) => <Input {...p} type="time" value={s.window_end ?? "21:00"} onChange={(e) => setS({ window_end: e.target.value })} />}</Field>
      </div>
      )}
      {s.kind === "random" && (
        <div className="grid grid-cols-2 gap-2">
          <Field label="Prompts per day">{(p) => <Input {...p} type="number" min="1" max="48" value={s.prompts_per_day ?? ""} onChange={(e) => setS({ prompts_per_day: int(e.target.value) })} />}</Field>
          <Field label="Minimum gap (minutes)">{(p) => <Input {...p} type="number" min="0" value={s.min_gap_minutes ?? ""} onChange={(e) => setS({ min_gap_minutes: int(e.target.value) })} />}</Field>
        </div>
      )}
      {s.kind === "fixed" && (
        <Field label="Times" hint="Local HH:MM, separated by commas or spaces (up to 48)">
          {(p) => <Input {...p} defaultValue={(s.times ?? []).join(", ")} onChange={(e) => setS({ times: parseTimes(e.target.value) })} placeholder="08:00, 13:00, 20:00" />}
        </Field>
      )}
      {s.kind === "interval" && (
        <Field label="Every (minutes)" className="max-w-48" hint="5 to 1440">
          {(p) => <Input {...p} type="number" min="5" max="1440" value={s.every_minutes ?? ""} onChange={(e) => setS({ every_minutes: int(e.target.value) })} />}
        </Field>
      )}
      <div className="grid gap-2 sm:grid-cols-3">
        <Field label="Link open for (minutes)" hint="If not opened">{(p) => <Input {...p} type="number" min="1" value={draft.expiry_minutes} onChange={(e) => onChange({ expiry_minutes: int(e.target.value) ?? 0 })} />}</Field>
        <Field label="Time to finish (minutes)" hint="Once opened">{(p) => <Input {...p} type="number" min="1" value={draft.completion_minutes} onChange={(e) => onChange({ completion_minutes: int(e.target.value) ?? 0 })} />}</Field>
        <Field label="Reminders (minutes after sending)" hint="Up to 3, e.g. 20, 40; empty: none">
          {(p) => <Input {...p} inputMode="numeric" defaultValue={draft.reminders.join(", ")} onChange={(e) => onChange({ reminders: parseMinutes(e.target.value) })} placeholder="20, 40" />}
        </Field>
      </div>
    </div>
  );
}
