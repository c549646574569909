import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { errorMessage } from "@/lib/http-error";

import { consoleQueries } from "../api";
import { dateTime, shortId } from "../lib/format";
import { FunnelChart, KpiCards, LatencyHistogram } from "./compliance-charts";
import { ComplianceHeatmap, TrackerStrips } from "./compliance-heatmap";

const PAGE = 50;

/** Live compliance: refreshed every few seconds while the campaign runs. */
export function ComplianceMonitor({ campaignId }: { campaignId: string }) {
  const [offset, setOffset] = useState(0);
  const { data, isPending, isError, error, dataUpdatedAt } = useQuery({ ...consoleQueries.monitor(campaignId, offset, PAGE), placeholderData: (p) => p });
  if (isPending) return <Skeleton className="h-64" />;
  if (isError) return <Alert variant="destructive">{errorMessage(error)}</Alert>;
  const live = ["active", "paused"].includes(data.campaign_status);
  return (
    <div className="grid gap-6">
      <p className="text-xs text-muted-foreground" role="status">
        {live ? "Live: refreshes every 5 seconds" : "Not running"} · as of {dateTime(new Date(dataUpdatedAt).toISOString())}
      </p>
      <KpiCards kpis={data.kpis} />
      <div className="grid items-start gap-6 md:grid-cols-2">
        <FunnelChart funnel={data.funnel} />
        <LatencyHistogram bins={data.latency_histogram} />
      </div>
      {data.participants.length === 0 ? (
        <p className="rounded-lg border border-dashed p-6 text-center text-muted-foreground">No participant has prompts yet.</p>
      ) : (
        <>
          <ComplianceHeatmap campaignId={campaignId} days={data.days} rows={data.participants} />
          <TrackerStrips campaignId={campaignId} rows={data.participants} />
        </>
      )}
      {data.participants_total > PAGE && (
        <nav aria-label="Participant pages" className="flex items-center gap-2 text-sm">
          <Button variant="outline" size="sm" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
            Previous
          </Button>
          <span>
            {offset + 1}–{Math.min(offset + PAGE, data.participants_total)} of {data.participants_total}
          </span>
          <Button variant="outline" size="sm" disabled={offset + PAGE >= data.participants_total} onClick={() => setOffset(offset + PAGE)}>
            Next
          </Button>
        </nav>
      )}
      <section aria-labelledby="problems-heading" className="grid gap-2">
        <h2 id="problems-heading" className="font-semibold">
          Delivery problems
        </h2>
        {data.delivery_problems.length === 0 ? (
          <p className="text-sm text-muted-foreground">None reported: no bounce, block, drop or spam report.</p>
        ) : (
          <ul className="grid gap-1 text-sm">
            {data.delivery_problems.map((p, i) => (
              <li key={i} className="rounded-md border p-2">
                <span className="font-medium">{p.kind}</span> · <span className="font-mono">{shortId(p.participant)}</span> · {dateTime(p.at)}
                {p.detail && <span className="block text-xs text-muted-foreground">{p.detail}</span>}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
