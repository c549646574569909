import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { campaignVerifyOptions } from "@/lib/api/@tanstack/react-query.gen";
import { errorMessage } from "@/lib/http-error";

import { consoleQueries } from "../api";
import { calendarDate, dateTime } from "../lib/format";
import { StatusBadge } from "./status-badge";

/** The campaigns the caller may audit (every one for an auditor, else their own). */
export function AuditableCampaigns() {
  const { data, isPending, isError, error } = useQuery(consoleQueries.auditable());
  return (
    <section aria-labelledby="audit-heading" className="grid gap-4">
      <h1 id="audit-heading" className="text-2xl font-semibold">
        Audit
      </h1>
      <p className="text-sm text-muted-foreground">Each campaign's history comes from its hash-chained events: read them, rebuild its state at any instant, and verify the chain and the read models.</p>
      {isPending && <Skeleton className="h-24" />}
      {isError && <Alert variant="destructive">{errorMessage(error)}</Alert>}
      {data && data.campaigns.length === 0 && <p className="text-muted-foreground">No campaign to audit.</p>}
      <ul className="grid gap-2">
        {data?.campaigns.map((c) => (
          <li key={c.id} className="flex flex-wrap items-center gap-2 rounded-lg border p-3">
            <Link to={`/console/audit/${c.id}`} className="font-medium underline underline-offset-4">
              {c.name}
            </Link>
            <StatusBadge status={c.status} />
            <span className="text-sm text-muted-foreground">
              {calendarDate(c.start_date)} – {calendarDate(c.end_date)} · {c.timezone}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function History({ campaignId }: { campaignId: string }) {
  const [after, setAfter] = useState<number | null>(null);
  const { data, isPending, isError, error } = useQuery(consoleQueries.history(campaignId, after));
  return (
    <section aria-labelledby="history-heading" className="grid gap-2">
      <h2 id="history-heading" className="text-lg font-semibold">
        History
      </h2>
      {isPending && <Skeleton className="h-32" />}
      {isError && <Alert variant="destructive">{errorMessage(error)}</Alert>}
      <ol className="grid gap-1 border-l pl-4" aria-label="Events">
        {data?.events.map((e) => (
          <li key={e.position} className="text-sm">
            <span className="font-mono text-xs text-muted-foreground">#{e.position}</span> <span className="font-medium">{e.aggregate_type}.{e.type}</span>{" "}
            <span className="text-muted-foreground">{dateTime(e.timestamp)}</span>
            <span className="block truncate font-mono text-[11px] text-muted-foreground" title={e.hash}>
              hash {e.hash.slice(0, 16)}…
            </span>
          </li>
        ))}
      </ol>
      <div className="flex gap-2">
        {after !== null && (
          <Button variant="outline" size="sm" onClick={() => setAfter(null)}>
            First events
          </Button>
        )}
        {data?.next_after != null && (
          <Button variant="outline" size="sm" onClick={() => setAfter(data.next_after ?? null)}>
            Later events
          </Button>
        )}
      </div>
    </section>
  );
}

function StateAsOf({ campaignId }: { campaignId: string }) {
  const [input, setInput] = useState("");
  const [asOf, setAsOf] = useState<string | null>(null);
  const { data, isFetching, isError, error } = useQuery({ ...consoleQueries.state(campaignId, asOf), enabled: asOf !== null });
  return (
    <section aria-labelledby="state-heading" className="grid gap-2">
      <h2 id="state-heading" className="text-lg font-semibold">
        State as of an instant
      </h2>
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          setAsOf(input ? new Date(input).toISOString() : new Date().toISOString());
        }}
      >
        <Field label="Instant (your local time)" className="w-60">{(p) => <Input {...p} type="datetime-local" step="1" value={input} onChange={(e) => setInput(e.target.value)} />}</Field>
        <Button type="submit" variant="outline" disabled={isFetching}>
          Show state
        </Button>
      </form>
      {isError && <Alert variant="destructive">{errorMessage(error)}</Alert>}
      {data && (
        <div className="grid gap-1 text-sm">
          <p>
            At position {data.position}: status <strong>{String((data.campaign as { status?: string }).status ?? "—")}</strong>, {data.participants.length} participants, {data.prompts.length} prompts.
          </p>
          <details className="rounded-md border p-2">
            <summary className="cursor-pointer">The campaign's state</summary>
            <pre className="mt-2 max-h-72 overflow-auto text-xs">{JSON.stringify(data.campaign, null, 2)}</pre>
          </details>
        </div>
      )}
    </section>
  );
}

function Verify({ campaignId }: { campaignId: string }) {
  const { data, refetch, isFetching, isError, error } = useQuery({ ...campaignVerifyOptions({ path: { campaign_id: campaignId } }), enabled: false, retry: false });
  return (
    <section aria-labelledby="verify-heading" className="grid gap-2">
      <h2 id="verify-heading" className="text-lg font-semibold">
        Verify
      </h2>
      <div>
        <Button onClick={() => void refetch()} disabled={isFetching}>
          {isFetching ? "Verifying…" : "Verify this campaign"}
        </Button>
      </div>
      {isError && <Alert variant="destructive">{errorMessage(error)}</Alert>}
      {data && (
        <div role="status" className={data.ok ? "rounded-md border border-emerald-600 p-3 text-sm" : "rounded-md border border-destructive p-3 text-sm"}>
          <p className="font-semibold">{data.ok ? "Verified: the chain and the read models agree." : `${data.differences.length} difference(s) found.`}</p>
          <p className="text-muted-foreground">
            {data.events_checked} events checked, {data.events_replayed} replayed, {data.rows_compared} rows compared{data.pending ? `, ${data.pending} pending` : ""}.
          </p>
          {data.differences.length > 0 && (
            <ul className="mt-2 list-disc pl-5">
              {data.differences.map((d, i) => (
                <li key={i}>
                  {d.kind}: {d.detail}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}

/** One campaign's audit: verify, state as of an instant, the history timeline. */
export function CampaignAudit({ campaignId }: { campaignId: string }) {
  return (
    <div className="grid gap-6">
      <Link to="/console/audit" className="text-sm underline underline-offset-4">
        All auditable campaigns
      </Link>
      <h1 className="text-2xl font-semibold">Campaign audit</h1>
      <p className="font-mono text-xs text-muted-foreground">{campaignId}</p>
      <Verify campaignId={campaignId} />
      <StateAsOf campaignId={campaignId} />
      <History campaignId={campaignId} />
    </div>
  );
}
