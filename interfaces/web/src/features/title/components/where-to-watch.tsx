import { ExternalLink } from "lucide-react";

import type { DatedOffer, ServiceOut } from "@/lib/api";

const KINDS: { type: string; label: string }[] = [
  { type: "stream", label: "Stream" },
  { type: "free", label: "Free" },
  { type: "tve", label: "With a TV subscription" },
  { type: "rent", label: "Rent" },
  { type: "buy", label: "Buy" },
];

const VERB: Record<string, string> = { stream: "Watch", free: "Watch free", tve: "Watch", rent: "Rent", buy: "Buy" };

type Props = { offers: DatedOffer[]; mine: readonly string[]; bySlug: Map<string, ServiceOut>; region: string | null };

/** Where to watch in my region, by kind (stream, free, rent, buy), with deep links. */
export function WhereToWatch({ offers, mine, bySlug, region }: Props) {
  const here = region ? offers.filter((o) => o.region === region) : offers;
  if (here.length === 0) {
    return <p className="text-sm text-muted-foreground">Not available to stream, rent or buy{region ? ` in ${region}` : ""} right now.</p>;
  }
  return (
    <div className="grid gap-3">
      {KINDS.map(({ type, label }) => {
        const list = here.filter((o) => o.type === type);
        if (list.length === 0) return null;
        return (
          <div key={type}>
            <h3 className="mb-1.5 text-sm font-medium text-muted-foreground">{label}</h3>
            <ul className="flex flex-wrap gap-2">
              {list.map((o) => {
                const service = bySlug.get(o.service);
                const name = service?.name ?? o.service;
                const yours = mine.includes(o.service);
                const body = (
                  <>
                    {service?.logo_url && <img src={service.logo_url} alt="" width={20} height={20} className="size-5 rounded" />}
                    {name}
                    {!region && <span className="text-muted-foreground">({o.region})</span>}
                    {yours && <span className="rounded bg-brand px-1 text-[10px] font-bold uppercase text-zinc-950">yours</span>}
                    {o.url && <ExternalLink aria-hidden="true" className="size-3.5" />}
                  </>
                );
                return (
                  <li key={`${o.region}-${o.service}-${o.type}`}>
                    {o.url ? (
                      <a href={o.url} target="_blank" rel="noopener noreferrer" className="flex items-center gap-1.5 rounded-md border px-2.5 py-1.5 text-sm hover:bg-accent">
                        <span className="sr-only">{VERB[type]} on </span>
                        {body}
                        <span className="sr-only"> (opens a new tab)</span>
                      </a>
                    ) : (
                      <span className="flex items-center gap-1.5 rounded-md border px-2.5 py-1.5 text-sm">{body}</span>
                    )}
                  </li>
                );
              })}
            </ul>
          </div>
        );
      })}
    </div>
  );
}
