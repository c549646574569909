"""Per-user budgets on the routes that cost vendor calls (docs/reliability.md): a request
over budget is a 429 with Retry-After, before any vendor is called. Suggestion requests are
budgeted (and coalesced) by the application itself (MyVODApplication.request_suggestions).
"""

from __future__ import annotations

from dataclasses import dataclass

from application.identity.service import Principal
from infrastructure.bootstrap import Container
from interfaces.http.errors import TooManyRequests


@dataclass(frozen=True)
class Allowance:
    name: str
    limit: int
    window_seconds: int
    what: str


IMPORT_ROWS = Allowance("import-rows", 1000, 3600, "imported rows")
"""Each row costs at most two TMDB searches: at most 2000 TMDB calls per user and hour."""
CATALOGUE_SEARCHES = Allowance("catalogue-searches", 120, 60, "catalogue searches")


def charge(container: Container, principal: Principal, allowance: Allowance, cost: int = 1) -> None:
    key = str(principal.account_id)
    wait = container.budgets.spend(
        allowance.name, key, allowance.limit, allowance.window_seconds, cost
    )
    if not wait:
        return
    left, _ = container.budgets.left(allowance.name, key, allowance.limit, allowance.window_seconds)
    per = "hour" if allowance.window_seconds == 3600 else f"{allowance.window_seconds} s"
    raise TooManyRequests(
        f"at most {allowance.limit} {allowance.what} per {per} per user; this request needs"
        f" {cost}, {max(0, left)} left until the window ends",
        wait,
    )
