import { useQuery } from "@tanstack/react-query";
import { BellRing, ExternalLink } from "lucide-react";
import { Link } from "react-router";

import { Alert, AlertDescription } from "@/components/ui/alert";
import { Skeleton } from "@/components/ui/skeleton";
import { useServices } from "@/hooks/use-services";
import { getWatchlistOptions, myAlertsOptions } from "@/lib/api/@tanstack/react-query.gen";
import { errorMessage } from "@/lib/http-error";

import { CalendarPanel } from "./calendar-panel";

const when = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** The availability alerts sent to me: what arrived, where, when. */
export function AlertsPage() {
  const alerts = useQuery({ ...myAlertsOptions(), refetchInterval: 10_000 });
  const watchlist = useQuery(getWatchlistOptions());
  const { bySlug } = useServices(watchlist.data?.region);
  return (
    <div className="grid gap-5">
      <h1 className="text-2xl font-semibold">Alerts</h1>
      <p className="text-muted-foreground">When a film on your list arrives on one of your services, Kairos emails you and lists it here.</p>
      {alerts.isPending ? (
        <Skeleton className="h-24" />
      ) : alerts.isError ? (
        <Alert variant="destructive">
          <AlertDescription>Alerts could not load: {errorMessage(alerts.error)}</AlertDescription>
        </Alert>
      ) : alerts.data.items.length === 0 ? (
        <p className="rounded-xl border border-dashed p-8 text-center text-muted-foreground">
          No alerts yet.{" "}
          {watchlist.data && !watchlist.data.services.length ? (
            <Link to="/onboarding" className="underline">
              Choose your services
            </Link>
          ) : (
            "They appear when a film you want to watch lands on your services."
          )}
        </p>
      ) : (
        <ul className="grid gap-2">
          {alerts.data.items.map((a, i) => {
            const service = bySlug.get(a.service)?.name ?? a.service;
            return (
              <li key={`${a.tmdb_id}-${a.service}-${a.at}-${i}`} className="flex items-center gap-3 rounded-xl border p-3">
                <BellRing aria-hidden="true" className="size-5 shrink-0 text-brand" />
                <div className="min-w-0 flex-1">
                  <p className="font-medium">
                    <Link to={`/title/${a.tmdb_id}`} className="hover:underline">
                      {a.title ?? `Film #${a.tmdb_id}`}
                    </Link>{" "}
                    is on {service}
                    {a.type === "free" ? " for free" : ""} in {a.region}
                  </p>
                  <p className="text-sm text-muted-foreground">
                    <time dateTime={a.at}>{when.format(new Date(a.at))}</time>
                  </p>
                </div>
                {a.url && (
                  <a href={a.url} target="_blank" rel="noopener noreferrer" className="inline-flex items-center gap-1 text-sm underline" aria-label={`Watch ${a.title ?? "it"} on ${service} (opens a new tab)`}>
                    Watch <ExternalLink aria-hidden="true" className="size-3.5" />
                  </a>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <CalendarPanel />
    </div>
  );
}
