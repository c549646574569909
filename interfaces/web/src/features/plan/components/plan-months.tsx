import { CalendarRange, Check } from "lucide-react";

import { Badge } from "@/components/ui/badge";
import { serviceName } from "@/hooks/use-services";
import type { PlannedMonth, ServiceOut } from "@/lib/api";

import { formatCents, titleList } from "../lib/money";

type Props = {
  months: PlannedMonth[];
  currency: string;
  subscribed: string[];
  bySlug: Map<string, ServiceOut>;
};

/** Month by month: the services to pay for, what each covers, what dropping it loses. */
export function PlanMonths({ months, currency, subscribed, bySlug }: Props) {
  return (
    <ol className="grid gap-4">
      {months.map((month) => (
        <li key={month.month}>
          <section aria-labelledby={`month-${month.month}`} className="grid gap-3 rounded-xl border p-4">
            <h2 id={`month-${month.month}`} className="flex flex-wrap items-center gap-2 text-lg font-semibold">
              <CalendarRange aria-hidden="true" className="size-5 text-brand" />
              {month.month === 1 ? "This month" : `Month ${month.month}`}: {formatCents(month.cost_cents, currency)}
              <span className="text-sm font-normal text-muted-foreground">
                {month.titles} {month.titles === 1 ? "film" : "films"}
                {month.exact ? "" : " (best found; the search stopped early)"}
              </span>
            </h2>
            <ul className="grid gap-2">
              {month.services.map((s) => {
                const name = serviceName(s.service, bySlug);
                return (
                  <li key={s.service} className="grid gap-1 rounded-lg bg-muted/50 p-3">
                    <p className="flex flex-wrap items-center gap-2 font-medium">
                      {name} · {formatCents(s.price_cents, currency)}
                      {subscribed.includes(s.service) && (
                        <Badge variant="secondary">
                          <Check aria-hidden="true" /> you have it
                        </Badge>
                      )}
                    </p>
                    <p className="text-sm">Covers {titleList(s.covers)}.</p>
                    <p className="text-sm text-muted-foreground">
                      Drop {name}: save {formatCents(s.price_cents, currency)}, lose {titleList(s.only_here)}.
                    </p>
                  </li>
                );
              })}
            </ul>
          </section>
        </li>
      ))}
    </ol>
  );
}
