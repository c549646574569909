import { useQuery } from "@tanstack/react-query";
import { ArrowLeft } from "lucide-react";
import { Link } from "react-router";

import { Alert, AlertDescription } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Skeleton } from "@/components/ui/skeleton";
import { useServices } from "@/hooks/use-services";
import { errorMessage } from "@/lib/http-error";

import { titleQueries } from "../api";
import { AvailabilityTimeline } from "./availability-timeline";
import { MyCopy } from "./my-copy";
import { WhereToWatch } from "./where-to-watch";

export function TitlePage({ tmdbId }: { tmdbId: number }) {
  const title = useQuery({ ...titleQueries.title(tmdbId), enabled: tmdbId > 0 });
  const history = useQuery({ ...titleQueries.history(tmdbId), enabled: tmdbId > 0 });
  const watchlist = useQuery(titleQueries.watchlist());
  const region = watchlist.data?.region ?? null;
  const mine = watchlist.data?.services ?? [];
  const { bySlug } = useServices(region);
  const item = watchlist.data?.items.find((i) => i.tmdb_id === tmdbId);

  const back = (
    <Link to="/watchlist" className="inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
      <ArrowLeft aria-hidden="true" className="size-4" /> Back to your watchlist
    </Link>
  );
  if (!(tmdbId > 0)) return <NotFound back={back} />;
  if (title.isPending) {
    return (
      <div className="grid gap-4" role="status" aria-label="Loading the title">
        {back}
        <Skeleton className="h-8 w-64" />
        <Skeleton className="aspect-[2/3] w-48" />
      </div>
    );
  }
  if (title.isError) {
    if ((title.error as { status?: number } | null)?.status === 404 || /no one has added/.test(errorMessage(title.error))) return <NotFound back={back} />;
    return (
      <div className="grid gap-4">
        {back}
        <Alert variant="destructive">
          <AlertDescription>This title could not load: {errorMessage(title.error)}</AlertDescription>
        </Alert>
      </div>
    );
  }
  const t = title.data;
  const name = t.title ?? (t.metadata === "unknown" ? `Unknown film #${t.tmdb_id}` : "Loading title…");
  return (
    <div className="grid gap-6">
      {back}
      <div className="grid gap-6 md:grid-cols-[16rem_1fr]">
        <div className="mx-auto w-44 md:w-full">
          {t.poster_url ? (
            <img src={t.poster_url} alt={`Poster of ${name}`} width={342} height={513} className="aspect-[2/3] w-full rounded-lg bg-muted object-cover shadow" />
          ) : (
            <div className="flex aspect-[2/3] items-center justify-center rounded-lg bg-muted text-sm text-muted-foreground">{t.metadata === "pending" ? "Loading poster…" : "No poster"}</div>
          )}
        </div>
        <div className="grid content-start gap-4">
          <div>
            <h1 className="text-2xl font-semibold md:text-3xl">
              {name} {t.year && <span className="font-normal text-muted-foreground">({t.year})</span>}
            </h1>
            <p className="mt-1 text-sm text-muted-foreground">
              {[t.runtime ? `${t.runtime} min` : null, item ? (item.status === "watched" ? "Watched" : "On your watchlist") : null].filter(Boolean).join(" · ")}
            </p>
          </div>
          {t.genres.length > 0 && (
            <ul className="flex flex-wrap gap-1.5" aria-label="Genres">
              {t.genres.map((g) => (
                <li key={g}>
                  <Badge variant="secondary">{g}</Badge>
                </li>
              ))}
            </ul>
          )}
          {t.overview && <p className="max-w-prose leading-relaxed">{t.overview}</p>}
          <section aria-labelledby="where">
            <h2 id="where" className="mb-2 text-lg font-semibold">
              Where to watch{region ? ` in ${region}` : ""}
            </h2>
            {t.availability_checked_at ? (
              <WhereToWatch offers={t.availability} mine={mine} bySlug={bySlug} region={region} />
            ) : (
              <p role="status" className="text-sm text-muted-foreground">Checking where it streams…</p>
            )}
          </section>
        </div>
      </div>
      <div className="grid gap-6 md:grid-cols-2">
        <section aria-labelledby="mine" className="rounded-xl border p-4">
          <h2 id="mine" className="mb-3 text-lg font-semibold">
            On my list
          </h2>
          {watchlist.isPending ? <Skeleton className="h-24" /> : <MyCopy key={item ? "on" : "off"} tmdbId={tmdbId} item={item} />}
        </section>
        <section aria-labelledby="history" className="rounded-xl border p-4">
          <h2 id="history" className="mb-3 text-lg font-semibold">
            Availability history
          </h2>
          {history.data ? <AvailabilityTimeline events={history.data.events} bySlug={bySlug} region={region} /> : <Skeleton className="h-24" />}
        </section>
      </div>
    </div>
  );
}

function NotFound({ back }: { back: React.ReactNode }) {
  return (
    <div className="grid gap-4">
      {back}
      <h1 className="text-2xl font-semibold">Title not found</h1>
      <p className="text-muted-foreground">No one has added this title yet. Search for it from your watchlist.</p>
    </div>
  );
}
