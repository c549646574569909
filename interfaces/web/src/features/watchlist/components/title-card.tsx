import { CheckCircle2, Star } from "lucide-react";
import { memo } from "react";
import { Link } from "react-router";

import type { ServiceOut, WatchlistItem } from "@/lib/api";

import { onMyServices } from "../lib/arrange";
import { Poster } from "./poster";
import { ServiceBadges } from "./service-badges";

type Props = { item: WatchlistItem; services: readonly string[]; bySlug: Map<string, ServiceOut>; eager?: boolean };

export function itemTitle(item: WatchlistItem): string {
  return item.title ?? (item.metadata === "unknown" ? `Unknown film #${item.tmdb_id}` : "Loading title…");
}

/** One title in the poster grid: poster, "new" ribbon, title, year, my rating, badges. */
export const TitleCard = memo(function TitleCard({ item, services, bySlug, eager }: Props) {
  const title = itemTitle(item);
  return (
    <article className="group relative flex flex-col gap-1.5">
      <Link to={`/title/${item.tmdb_id}`} className="rounded-md outline-none focus-visible:ring-[3px] focus-visible:ring-ring/60">
        <div className="relative overflow-hidden rounded-md">
          <Poster url={item.poster_url} title={title} eager={eager} />
          {item.new && (
            <span className="absolute left-0 top-2 rounded-r bg-brand px-2 py-0.5 text-[11px] font-bold uppercase tracking-wide text-zinc-950">
              New<span className="sr-only"> on your services</span>
            </span>
          )}
          {item.status === "watched" && (
            <span className="absolute right-1 top-1 flex items-center gap-0.5 rounded bg-black/70 px-1.5 py-0.5 text-[11px] font-semibold text-white">
              {item.rating ? (
                <>
                  <Star aria-hidden="true" className="size-3 fill-current" />
                  {item.rating}
                  <span className="sr-only"> out of 10</span>
                </>
              ) : (
                <CheckCircle2 aria-label="Watched" className="size-3.5" />
              )}
            </span>
          )}
        </div>
        <h3 className="mt-1.5 line-clamp-2 text-sm font-medium leading-tight">{title}</h3>
      </Link>
      <p className="text-xs text-muted-foreground">{item.year ?? "\u00a0"}</p>
      <ServiceBadges offers={onMyServices(item, services)} bySlug={bySlug} />
    </article>
  );
});

/** One title in the list view. */
export function TitleRow({ item, services, bySlug }: Props) {
  const title = itemTitle(item);
  return (
    <article className="flex items-center gap-3 border-b py-2">
      <div className="w-12 shrink-0">
        <Poster url={item.poster_url} title={title} />
      </div>
      <div className="min-w-0 flex-1">
        <h3 className="truncate text-sm font-medium">
          <Link to={`/title/${item.tmdb_id}`} className="outline-none hover:underline focus-visible:underline">
            {title}
          </Link>
          {item.new && <span className="ml-2 rounded bg-brand px-1.5 py-0.5 align-middle text-[10px] font-bold uppercase text-zinc-950">New</span>}
        </h3>
        <p className="text-xs text-muted-foreground">
          {[item.year, item.status === "watched" ? (item.rating ? `watched, rated ${item.rating}/10` : "watched") : "to watch", item.genres?.slice(0, 2).join(", ")].filter(Boolean).join(" · ")}
        </p>
        <ServiceBadges offers={onMyServices(item, services)} bySlug={bySlug} max={4} />
      </div>
    </article>
  );
}
