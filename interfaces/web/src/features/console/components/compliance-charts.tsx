import type { Funnel, Kpis, LatencyBin } from "@/lib/api";

import { duration, percent } from "../lib/format";

export function KpiCards({ kpis }: { kpis: Kpis }) {
  const cards = [
    { label: "Response rate", value: percent(kpis.response_rate), note: `${kpis.answered} of ${kpis.sent} sent` },
    { label: "Answered today", value: String(kpis.answered_today), note: `${kpis.open} open now` },
    { label: "Median latency", value: duration(kpis.median_latency_seconds), note: "from sent to answered" },
    { label: "Participants", value: String(kpis.participants_active), note: `${kpis.participants_pending} pending · ${kpis.participants_paused} paused · ${kpis.participants_withdrawn} withdrawn` },
  ];
  return (
    <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
      {cards.map((c) => (
        <div key={c.label} className="rounded-lg border bg-card p-3">
          <dt className="text-xs text-muted-foreground">{c.label}</dt>
          <dd className="text-2xl font-semibold">{c.value}</dd>
          <dd className="text-xs text-muted-foreground">{c.note}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Scheduled -> sent -> delivered -> opened -> answered, each bar as a share of scheduled. */
export function FunnelChart({ funnel }: { funnel: Funnel }) {
  const steps: [string, number][] = [
    ["Scheduled", funnel.scheduled],
    ["Sent", funnel.sent],
    ["Delivered", funnel.delivered],
    ["Opened", funnel.opened],
    ["Answered", funnel.answered],
  ];
  const top = Math.max(1, funnel.scheduled, funnel.sent);
  return (
    <section aria-labelledby="funnel-heading" className="grid gap-2">
      <h2 id="funnel-heading" className="font-semibold">
        Funnel
      </h2>
      <dl className="grid gap-1.5">
        {steps.map(([label, n]) => (
          <div key={label} className="grid grid-cols-[5.5rem_1fr_3rem] items-center gap-2 text-sm">
            <dt>{label}</dt>
            <dd aria-hidden="true" className="h-4 rounded-sm bg-muted">
              <div className="h-4 rounded-sm bg-primary/80" style={{ width: `${(n / top) * 100}%` }} />
            </dd>
            <dd className="text-right font-mono">{n}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

export function binLabel(bin: LatencyBin): string {
  const m = (s: number) => `${Math.round(s / 60)}`;
  return bin.to_seconds == null ? `≥ ${m(bin.from_seconds)} min` : `${m(bin.from_seconds)}–${m(bin.to_seconds)} min`;
}

export function LatencyHistogram({ bins }: { bins: LatencyBin[] }) {
  const top = Math.max(1, ...bins.map((b) => b.count));
  return (
    <section aria-labelledby="latency-heading" className="grid gap-2">
      <h2 id="latency-heading" className="font-semibold">
        Latency (sent to answered)
      </h2>
      <dl className="grid gap-1.5">
        {bins.map((b) => (
          <div key={b.from_seconds} className="grid grid-cols-[5.5rem_1fr_3rem] items-center gap-2 text-sm">
            <dt>{binLabel(b)}</dt>
            <dd aria-hidden="true" className="h-4 rounded-sm bg-muted">
              <div className="h-4 rounded-sm bg-sky-600" style={{ width: `${(b.count / top) * 100}%` }} />
            </dd>
            <dd className="text-right font-mono">{b.count}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
