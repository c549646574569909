import type { WatchlistItem } from "@/lib/api";

export type Filter = "all" | "to_watch" | "watched" | "available";
export type Sort = "added" | "year" | "title" | "rating";

export const FILTERS: { value: Filter; label: string }[] = [
  { value: "all", label: "All" },
  { value: "to_watch", label: "To watch" },
  { value: "watched", label: "Watched" },
  { value: "available", label: "On my services" },
];
export const SORTS: { value: Sort; label: string }[] = [
  { value: "added", label: "Recently added" },
  { value: "year", label: "Year (newest)" },
  { value: "title", label: "Title (A-Z)" },
  { value: "rating", label: "My rating" },
];

const STREAMABLE = new Set(["stream", "free"]);

/** The offers of an item that stream (or are free) on one of my services. */
export function onMyServices(item: WatchlistItem, services: readonly string[]) {
  return item.availability.filter((o) => STREAMABLE.has(o.type) && services.includes(o.service));
}

export function arrange(items: WatchlistItem[], filter: Filter, sort: Sort, services: readonly string[]): WatchlistItem[] {
  const kept = items.filter((item) => {
    if (filter === "to_watch" || filter === "watched") return item.status === filter;
    if (filter === "available") return onMyServices(item, services).length > 0;
    return true;
  });
  const title = (item: WatchlistItem) => (item.title ?? "").toLocaleLowerCase();
  const compare: Record<Sort, (a: WatchlistItem, b: WatchlistItem) => number> = {
    added: (a, b) => b.added_at.localeCompare(a.added_at),
    year: (a, b) => (b.year ?? -1) - (a.year ?? -1),
    title: (a, b) => title(a).localeCompare(title(b)),
    rating: (a, b) => (b.rating ?? -1) - (a.rating ?? -1),
  };
  return [...kept].sort((a, b) => compare[sort](a, b) || title(a).localeCompare(title(b)) || a.tmdb_id - b.tmdb_id);
}
