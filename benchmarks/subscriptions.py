"""The subscription planner (domain/myvod/subscriptions.py) on 1,000 wanted titles over 50
priced services: one 12-month plan per budget, timed. Pure Python, no servers. The data is
seeded: services by a Zipf-like popularity (a few big catalogues, a long tail), each title on
0 to 4 of them, prices 3.99 to 21.99 a month; then the worst case found, equally popular
services and a 200 budget."""

from __future__ import annotations

import random
import time

from benchmarks.common import Profile, Result
from domain.myvod.subscriptions import MAX_MONTHS, plan_subscriptions

SEED = 20261208
BUDGETS_CENTS = (3000, 6000, 10000)


HARD_BUDGET_CENTS = 20000
"""With equally popular services and a budget for ~20 of them, the search hits its node limit
in month 1 and answers the best set found (Month.exact false): the worst case measured."""


def catalogue(
    titles: int, services: int, flat: bool = False
) -> tuple[dict[int, list[str]], dict[str, int]]:
    rng = random.Random(SEED)
    names = [f"service{i:02d}" for i in range(services)]
    weights = [1.0 if flat else 1 / (rank + 1) ** 0.8 for rank in range(services)]
    prices = {name: rng.randrange(399, 2199, 100) for name in names}
    wanted = {
        100_000 + t: sorted(set(rng.choices(names, weights, k=rng.choice([0, 1, 1, 2, 2, 3, 4]))))
        for t in range(titles)
    }
    return wanted, prices


def run(profile: Profile) -> Result:
    result = Result("subscriptions")
    wanted, prices = catalogue(profile.subscription_titles, profile.subscription_services)
    slowest = 0.0
    months = exact = 0
    for budget in BUDGETS_CENTS:
        began = time.perf_counter()
        plan = plan_subscriptions(wanted, prices, budget, MAX_MONTHS)
        seconds = time.perf_counter() - began
        slowest = max(slowest, seconds)
        months += len(plan.months)
        exact += sum(m.exact for m in plan.months)
        covered = sum(len(m.titles) for m in plan.months)
        result.figures[f"subscriptions_plan_{budget // 100}_eur_s"] = round(seconds, 3)
        result.figures[f"subscriptions_covered_{budget // 100}_eur"] = covered
        first = plan.months[0] if plan.months else None
        result.notes.append(
            f"subscriptions: budget {budget / 100:.0f}, {len(plan.months)} months, "
            f"{covered} titles covered, month 1 {len(first.titles) if first else 0} titles on "
            f"{len(first.services) if first else 0} services, {seconds:.3f} s"
        )
    flat, flat_prices = catalogue(
        profile.subscription_titles, profile.subscription_services, flat=True
    )
    began = time.perf_counter()
    hard = plan_subscriptions(flat, flat_prices, HARD_BUDGET_CENTS, MAX_MONTHS)
    worst = time.perf_counter() - began
    result.figures["subscriptions_worst_case_s"] = round(worst, 3)
    result.figures["subscriptions_worst_case_month1_exact"] = bool(
        hard.months and hard.months[0].exact
    )
    result.figures.update(
        subscriptions_titles=len(wanted),
        subscriptions_services=len(prices),
        subscriptions_plan_seconds=round(max(slowest, worst), 3),
        subscriptions_months_exact=round(exact / months, 3) if months else 1.0,
    )
    return result
