"""Which services to pay for: the read model's wanted titles and offers, planned by the pure
planner (domain/myvod/subscriptions.py) with the configured prices. Writes nothing."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from application.myvod import queries
from application.myvod.base import MyVODBase
from domain.myvod.subscriptions import MAX_MONTHS, plan_subscriptions
from domain.shared.errors import Conflict


class RegionNotChosen(Conflict):
    pass


class PlanningUseCases(MyVODBase):
    def plan_services(
        self, account_id: UUID, budget_cents: int, months: int = MAX_MONTHS
    ) -> dict[str, Any]:
        """Month by month, the services covering the most titles still to watch within
        `budget_cents` a month, what each covers, and what dropping one would lose."""
        wanted = queries.wanted_offers(self._read(), account_id, self.catalogue)
        if wanted["region"] is None:
            raise RegionNotChosen(
                "choose your region first (PUT /me/watchlist/services): offers differ by region"
            )
        titles = {t["tmdb_id"]: t for t in wanted["titles"]}
        prices = self.service_prices
        plan = plan_subscriptions(
            {tmdb_id: t["services"] for tmdb_id, t in titles.items()}, prices, budget_cents, months
        )

        def brief(tmdb_id: int) -> dict[str, Any]:
            t = titles[tmdb_id]
            return {k: t[k] for k in ("tmdb_id", "title", "year", "poster_url")}

        return {
            "region": wanted["region"],
            "currency": self.price_currency,
            "budget_cents": budget_cents,
            "wanted": len(titles),
            "subscribed": wanted["services"],
            "months": [
                {
                    "month": m.number,
                    "cost_cents": m.cost,
                    "exact": m.exact,
                    "titles": len(m.titles),
                    "services": [
                        {
                            "service": d.service,
                            "price_cents": d.saves,
                            "covers": [brief(t) for t in m.covers[d.service]],
                            "only_here": [brief(t) for t in d.loses],
                        }
                        for d in m.drops
                    ],
                }
                for m in plan.months
            ],
            "unavailable": [brief(t) for t in plan.unavailable],
            "unaffordable": [brief(t) for t in plan.unaffordable],
            "later": [brief(t) for t in plan.later],
            "prices": [{"service": s, "price_cents": p} for s, p in sorted(prices.items())],
        }
