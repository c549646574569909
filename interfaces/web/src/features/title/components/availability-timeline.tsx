import type { AvailabilityEvent, ServiceOut } from "@/lib/api";

const when = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

type Props = { events: AvailabilityEvent[]; bySlug: Map<string, ServiceOut>; region: string | null };

/** When each offer arrived or left (in my region when I have one), newest first. */
export function AvailabilityTimeline({ events, bySlug, region }: Props) {
  const shown = region ? events.filter((e) => e.region === region) : events;
  if (shown.length === 0) return <p className="text-sm text-muted-foreground">No availability recorded yet.</p>;
  return (
    <ol className="relative grid gap-3 border-l pl-4">
      {shown.slice(0, 50).map((e, i) => (
        <li key={`${e.at}-${e.service}-${e.type}-${e.change}-${i}`} className="relative text-sm">
          <span aria-hidden="true" className={`absolute -left-[21px] top-1.5 size-2.5 rounded-full ${e.change === "arrived" ? "bg-emerald-600" : "bg-muted-foreground"}`} />
          <time dateTime={e.at} className="mr-2 text-muted-foreground">
            {when.format(new Date(e.at))}
          </time>
          {e.change === "arrived" ? "Arrived on" : "Left"} {bySlug.get(e.service)?.name ?? e.service} ({e.type}
          {region ? "" : `, ${e.region}`})
        </li>
      ))}
    </ol>
  );
}
