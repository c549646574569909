import { useQuery } from "@tanstack/react-query";
import { LayoutGrid, List } from "lucide-react";
import { useId, useMemo } from "react";
import { Link, useSearchParams } from "react-router";

import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { useServices } from "@/hooks/use-services";
import { errorMessage } from "@/lib/http-error";
import { cn } from "@/lib/utils";

import { watchlistQueries } from "../api";
import { arrange, type Filter, FILTERS, type Sort, SORTS } from "../lib/arrange";
import { AddTitleSearch } from "./add-title-search";
import { VirtualTitles } from "./virtual-titles";

type Props = { demoSearches?: string[] };

export function WatchlistPage({ demoSearches = [] }: Props) {
  const sortId = useId();
  const [params, setParams] = useSearchParams();
  const filter = (params.get("show") as Filter) || "all";
  const sort = (params.get("sort") as Sort) || "added";
  const view = params.get("view") === "list" ? "list" : "grid";
  const set = (key: string, value: string, fallback: string) =>
    setParams((p) => {
      if (value === fallback) p.delete(key);
      else p.set(key, value);
      return p;
    }, { replace: true });
  const watchlist = useQuery(watchlistQueries.all());
  const { bySlug } = useServices(watchlist.data?.region);
  const services = watchlist.data?.services ?? [];
  const data = watchlist.data;
  const items = useMemo(
    () => (data ? arrange(data.items, FILTERS.some((f) => f.value === filter) ? filter : "all", sort, data.services) : []),
    [data, filter, sort],
  );
  const onList = useMemo(() => new Set(data?.items.map((i) => i.tmdb_id)), [data]);

  return (
    <div className="grid gap-5">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <h1 className="text-2xl font-semibold">Your watchlist</h1>
        {watchlist.data && (
          <p className="text-sm text-muted-foreground">
            {watchlist.data.items.length} titles
            {watchlist.data.region && (
              <>
                {" "}
                · {watchlist.data.region} ·{" "}
                <Link to="/onboarding" className="underline">
                  {services.length ? `${services.length} services` : "choose services"}
                </Link>
              </>
            )}
          </p>
        )}
      </div>
      {watchlist.data && !watchlist.data.region && (
        <Alert>
          <AlertDescription>
            Tell Kairos your region and the services you pay for, and it shows where each film streams for you.{" "}
            <Link to="/onboarding" className="font-medium underline">
              Choose your services
            </Link>
          </AlertDescription>
        </Alert>
      )}
      <AddTitleSearch onList={onList} suggestions={demoSearches} />
      <div className="flex flex-wrap items-center gap-3">
        <div role="group" aria-label="Show" className="flex flex-wrap gap-1">
          {FILTERS.map((f) => (
            <Button key={f.value} size="sm" variant={filter === f.value ? "default" : "outline"} aria-pressed={filter === f.value} onClick={() => set("show", f.value, "all")}>
              {f.label}
            </Button>
          ))}
        </div>
        <div className="flex items-center gap-2">
          <label htmlFor={sortId} className="text-sm text-muted-foreground">
            Sort
          </label>
          <select id={sortId} value={sort} onChange={(e) => set("sort", e.target.value, "added")} className="h-9 rounded-md border border-input bg-background px-2 text-sm">
            {SORTS.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
        <div role="group" aria-label="View" className="ml-auto flex gap-1">
          <Button size="icon" variant={view === "grid" ? "secondary" : "ghost"} aria-pressed={view === "grid"} aria-label="Poster grid" onClick={() => set("view", "grid", "grid")}>
            <LayoutGrid aria-hidden="true" />
          </Button>
          <Button size="icon" variant={view === "list" ? "secondary" : "ghost"} aria-pressed={view === "list"} aria-label="List" onClick={() => set("view", "list", "grid")}>
            <List aria-hidden="true" />
          </Button>
        </div>
      </div>
      {watchlist.isPending ? (
        <div className="grid grid-cols-3 gap-4 sm:grid-cols-5" role="status" aria-label="Loading your watchlist">
          {Array.from({ length: 10 }, (_, i) => (
            <Skeleton key={i} className="aspect-[2/3]" />
          ))}
        </div>
      ) : watchlist.isError ? (
        <Alert variant="destructive">
          <AlertDescription>
            Your watchlist could not load: {errorMessage(watchlist.error)}{" "}
            <button type="button" className="underline" onClick={() => void watchlist.refetch()}>
              Try again
            </button>
          </AlertDescription>
        </Alert>
      ) : watchlist.data.items.length === 0 ? (
        <div className="rounded-xl border border-dashed p-8 text-center">
          <h2 className="mb-1 text-lg font-semibold">Nothing on your list yet</h2>
          <p className="text-muted-foreground">
            Search for a film above{demoSearches.length > 0 && <> (in this demo, try {demoSearches.slice(0, 3).join(", ")})</>}, or{" "}
            <Link to="/import" className="underline">
              import your Letterboxd or IMDb export
            </Link>
            .
          </p>
        </div>
      ) : items.length === 0 ? (
        <p className={cn("rounded-xl border border-dashed p-8 text-center text-muted-foreground")}>
          No title matches this filter.{" "}
          <button type="button" className="underline" onClick={() => set("show", "all", "all")}>
            Show all
          </button>
        </p>
      ) : (
        <VirtualTitles items={items} services={services} bySlug={bySlug} view={view} />
      )}
    </div>
  );
}
