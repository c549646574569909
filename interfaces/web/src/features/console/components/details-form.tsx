import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";

import type { Draft } from "../lib/draft";

/** Name, description, the campaign's time zone and dates. */
export function DetailsForm({ draft, onChange }: { draft: Draft; onChange: (patch: Partial<Draft>) => void }) {
  const dates = draft.end_date < draft.start_date ? "The end date is before the start date." : null;
  const known = zones();
  const zone = draft.timezone.trim() && known.length > 1 && !known.includes(draft.timezone.trim()) && draft.timezone.trim() !== "UTC" ? "This browser does not know that zone; the server checks it when you save." : null;
  return (
    <div className="grid gap-4">
      <Field label="Name">{(p) => <Input {...p} value={draft.name} maxLength={200} onChange={(e) => onChange({ name: e.target.value })} />}</Field>
      <Field label="Description" hint="Shown at the top of every survey page">
        {(p) => <Textarea {...p} rows={3} value={draft.description} maxLength={2000} onChange={(e) => onChange({ description: e.target.value })} />}
      </Field>
      <Field label="Time zone" hint="IANA name; participants who give none use it" error={zone}>
        {(p) => <Input {...p} value={draft.timezone} onChange={(e) => onChange({ timezone: e.target.value })} list="console-zones" />}
      </Field>
      <div className="grid grid-cols-2 gap-2">
        <Field label="First day">{(p) => <Input {...p} type="date" value={draft.start_date} onChange={(e) => onChange({ start_date: e.target.value })} />}</Field>
        <Field label="Last day" error={dates}>
          {(p) => <Input {...p} type="date" value={draft.end_date} min={draft.start_date} onChange={(e) => onChange({ end_date: e.target.value })} />}
        </Field>
      </div>
      <datalist id="console-zones">
        {zones().map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
    </div>
  );
}

function zones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  try {
    return intl.supportedValuesOf?.("timeZone") ?? ["UTC"];
  } catch {
    return ["UTC"];
  }
}
