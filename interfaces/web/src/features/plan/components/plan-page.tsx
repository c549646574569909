import { useQuery } from "@tanstack/react-query";
import { Link, useSearchParams } from "react-router";

import { Alert, AlertDescription } from "@/components/ui/alert";
import { Skeleton } from "@/components/ui/skeleton";
import { useServices } from "@/hooks/use-services";
import type { PlannedTitle } from "@/lib/api";
import { getWatchlistOptions, planServicesOptions } from "@/lib/api/@tanstack/react-query.gen";
import { errorMessage } from "@/lib/http-error";

import { titleList } from "../lib/money";
import { BudgetForm } from "./budget-form";
import { PlanMonths } from "./plan-months";

const MONTHS = 6;

/** Which services to pay for: the budget form, then the plan month by month. */
export function PlanPage() {
  const [params, setParams] = useSearchParams();
  const raw = params.get("budget");
  const budget = raw !== null && raw !== "" && Number.isFinite(Number(raw)) ? Number(raw) : null;
  const watchlist = useQuery(getWatchlistOptions());
  const region = watchlist.data?.region;
  const { bySlug } = useServices(region);
  const plan = useQuery({
    ...planServicesOptions({ query: { budget: budget ?? 0, months: MONTHS } }),
    enabled: budget !== null && !!region,
  });
  const currency = plan.data?.currency ?? "EUR";

  return (
    <div className="grid gap-5">
      <h1 className="text-2xl font-semibold">Which services to pay for</h1>
      <p className="text-muted-foreground">
        For the films you still want to watch, the services that stream the most of them in your region within a monthly budget, month by month: watch one month's films, then switch.
      </p>
      {watchlist.data && !region ? (
        <p className="rounded-xl border border-dashed p-8 text-center text-muted-foreground">
          Offers differ by region.{" "}
          <Link to="/onboarding" className="underline">
            Choose your region and services
          </Link>{" "}
          first.
        </p>
      ) : (
        <BudgetForm budget={budget} currency={currency} onPlan={(b) => setParams({ budget: String(b) })} />
      )}
      {budget === null || !region ? null : plan.isPending ? (
        <Skeleton className="h-40" />
      ) : plan.isError ? (
        <Alert variant="destructive">
          <AlertDescription>The plan could not load: {errorMessage(plan.error)}</AlertDescription>
        </Alert>
      ) : (
        <>
          <p role="status" className="font-medium">
            {plan.data.months.length === 0
              ? "Nothing to plan: no film you want to watch streams on a service within this budget."
              : `${plan.data.months.reduce((n, m) => n + m.titles, 0)} of your ${plan.data.wanted} films to watch in ${plan.data.months.length} ${plan.data.months.length === 1 ? "month" : "months"}.`}
          </p>
          <PlanMonths months={plan.data.months} currency={currency} subscribed={plan.data.subscribed} bySlug={bySlug} />
          <Leftovers label="Not streaming on a priced service in your region" titles={plan.data.unavailable} />
          <Leftovers label="Only on services dearer than your budget" titles={plan.data.unaffordable} />
          <Leftovers label={`After ${MONTHS} months`} titles={plan.data.later} />
        </>
      )}
    </div>
  );
}

function Leftovers({ label, titles }: { label: string; titles: PlannedTitle[] }) {
  if (!titles.length) return null;
  return (
    <p className="text-sm text-muted-foreground">
      {label}: {titleList(titles, 5)}.
    </p>
  );
}
