"""Which streaming services to pay for: a pure planner (no I/O, no clock).

Given the titles a person wants (each with the services it streams on in their region), the
monthly price of each service (in cents) and a monthly budget, `plan_subscriptions` picks,
month by month, the set of services that covers the most wanted titles within the budget
(ties: the cheaper set, then the smaller). Titles covered in one month count
as watched that month; the next month plans for the rest. For every service of a month it
says what dropping it would lose (the titles only it covers that month) and save.

One month is budgeted maximum coverage, which is NP-hard in general. The search is exact
branch and bound over bitsets (services that add nothing, cost more than the budget, or are
dominated by a cheaper service covering a superset are left out first; the bound is the
fractional knapsack of the services' marginal gains). It gives up after `node_limit` nodes
and returns the best set found so far, seeded by a greedy set; `Month.exact` says which.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from domain.shared.errors import InvalidInput

MAX_MONTHS = 12
NODE_LIMIT = 200_000
MAX_BUDGET_CENTS = 100_000_00


@dataclass(frozen=True)
class Drop:
    service: str
    saves: int
    """cents a month"""
    loses: tuple[int, ...]
    """wanted titles no other service of that month covers"""


@dataclass(frozen=True)
class Month:
    number: int
    services: tuple[str, ...]
    cost: int
    covers: dict[str, tuple[int, ...]]
    """service -> the month's newly covered titles it streams (a title may be under two)"""
    titles: tuple[int, ...]
    drops: tuple[Drop, ...]
    exact: bool


@dataclass(frozen=True)
class Plan:
    budget: int
    months: tuple[Month, ...]
    unavailable: tuple[int, ...]
    """wanted titles on no priced service in the region"""
    unaffordable: tuple[int, ...]
    """titles on priced services only, none of which fits the budget"""
    later: tuple[int, ...]
    """titles still coverable after MAX_MONTHS months"""


@dataclass(frozen=True)
class _Choice:
    services: tuple[str, ...]
    covered: int
    cost: int
    exact: bool


def plan_subscriptions(
    wanted: Mapping[int, Collection[str]],
    prices: Mapping[str, int],
    budget: int,
    months: int = MAX_MONTHS,
    node_limit: int = NODE_LIMIT,
) -> Plan:
    """Services to pay for, month by month. `wanted`: title -> services it streams on;
    `prices`: service -> cents a month (services without a price are never picked);
    `budget`: cents a month."""
    if not isinstance(budget, int) or budget < 0 or budget > MAX_BUDGET_CENTS:
        raise InvalidInput("the budget must be a sum from 0 to 100000 a month")
    if not 1 <= months <= MAX_MONTHS:
        raise InvalidInput(f"plan 1 to {MAX_MONTHS} months")
    if any(p < 0 for p in prices.values()):
        raise InvalidInput("a service price cannot be negative")
    priced = {title: sorted(set(s) & prices.keys()) for title, s in wanted.items()}
    unavailable = tuple(sorted(t for t, s in priced.items() if not s))
    unaffordable = tuple(
        sorted(t for t, s in priced.items() if s and all(prices[x] > budget for x in s))
    )
    remaining = sorted(t for t, s in priced.items() if any(prices[x] <= budget for x in s))
    planned: list[Month] = []
    while remaining and len(planned) < months:
        month = _plan_month(len(planned) + 1, remaining, priced, prices, budget, node_limit)
        if not month.titles:
            break
        planned.append(month)
        done = set(month.titles)
        remaining = [t for t in remaining if t not in done]
    return Plan(budget, tuple(planned), unavailable, unaffordable, tuple(remaining))


def _plan_month(
    number: int,
    titles: list[int],
    offers: Mapping[int, list[str]],
    prices: Mapping[str, int],
    budget: int,
    node_limit: int,
) -> Month:
    masks = _masks(titles, offers, prices, budget)
    choice = best_services(masks, prices, budget, node_limit)
    chosen = set(choice.services)
    covers = {s: tuple(t for t in titles if s in offers[t]) for s in choice.services}
    month_titles = tuple(t for t in titles if chosen & set(offers[t]))
    drops = tuple(
        Drop(
            service=s,
            saves=prices[s],
            loses=tuple(t for t in covers[s] if len(chosen & set(offers[t])) == 1),
        )
        for s in choice.services
    )
    return Month(number, choice.services, choice.cost, covers, month_titles, drops, choice.exact)


def _masks(
    titles: list[int], offers: Mapping[int, list[str]], prices: Mapping[str, int], budget: int
) -> dict[str, int]:
    masks: dict[str, int] = {}
    for bit, title in enumerate(titles):
        for service in offers[title]:
            if prices[service] <= budget:
                masks[service] = masks.get(service, 0) | (1 << bit)
    return masks


def best_services(
    masks: Mapping[str, int], prices: Mapping[str, int], budget: int, node_limit: int = NODE_LIMIT
) -> _Choice:
    """The affordable set with the widest cover (then the cheapest, then the first by name),
    over bitsets: service -> bit mask of the titles it covers."""
    candidates = _undominated(masks, prices, budget)
    order = sorted(candidates, key=lambda s: (-masks[s].bit_count(), prices[s], s))
    best = _greedy(order, masks, prices, budget)
    search = _Search(order, masks, prices, budget, node_limit, best)
    search.run(0, 0, 0, ())
    found = search.best
    return _without_redundant(found, masks, prices, exact=found.exact and not search.exhausted)


def _without_redundant(
    choice: _Choice, masks: Mapping[str, int], prices: Mapping[str, int], exact: bool
) -> _Choice:
    """Drops any service the others already cover (so every pick adds a wanted title)."""
    kept = list(choice.services)
    for service in sorted(kept, key=lambda s: (-prices[s], s)):
        others = 0
        for other in kept:
            if other != service:
                others |= masks[other]
        if masks[service] & ~others == 0:
            kept.remove(service)
    cost = sum(prices[s] for s in kept)
    return _Choice(tuple(sorted(kept)), choice.covered, cost, exact)


def _undominated(masks: Mapping[str, int], prices: Mapping[str, int], budget: int) -> list[str]:
    kept = [s for s, m in masks.items() if m and prices[s] <= budget]
    kept.sort(key=lambda s: (prices[s], -masks[s].bit_count(), s))
    result: list[str] = []
    for service in kept:
        mask = masks[service]
        # an earlier one is no dearer; if it covers all this one does, this one never helps
        if not any(mask & ~masks[other] == 0 for other in result):
            result.append(service)
    return result


def _greedy(
    order: list[str], masks: Mapping[str, int], prices: Mapping[str, int], budget: int
) -> _Choice:
    chosen: list[str] = []
    covered = cost = 0
    while True:
        best, best_key = None, (0.0, 0)
        for service in order:
            gain = (masks[service] & ~covered).bit_count()
            if service in chosen or not gain or cost + prices[service] > budget:
                continue
            key = (gain / max(prices[service], 1), gain)
            if key > best_key:
                best, best_key = service, key
        if best is None:
            break
        chosen.append(best)
        covered |= masks[best]
        cost += prices[best]
    single = max(order, key=lambda s: (masks[s].bit_count(), -prices[s]), default=None)
    if single is not None and masks[single].bit_count() > covered.bit_count():
        chosen, covered, cost = [single], masks[single], prices[single]
    return _Choice(tuple(sorted(chosen)), covered, cost, exact=False)


class _Search:
    def __init__(
        self,
        order: list[str],
        masks: Mapping[str, int],
        prices: Mapping[str, int],
        budget: int,
        node_limit: int,
        seed: _Choice,
    ) -> None:
        self.order = order
        self.masks = [masks[s] for s in order]
        self.prices = [prices[s] for s in order]
        self.budget = budget
        self.nodes_left = node_limit
        self.exhausted = False
        self.best = _Choice(seed.services, seed.covered, seed.cost, exact=True)
        self.suffix = [0] * (len(order) + 1)
        for i in range(len(order) - 1, -1, -1):
            self.suffix[i] = self.suffix[i + 1] | self.masks[i]

    def _better(self, covered: int, cost: int, chosen: tuple[str, ...]) -> bool:
        key = (-covered.bit_count(), cost, len(chosen), sorted(chosen))
        best = self.best
        return key < (-best.covered.bit_count(), best.cost, len(best.services), list(best.services))

    def _bound(self, start: int, covered: int, room: int) -> int:
        """Titles covered at most, going on from `start` with `room` cents left."""
        union = (covered | self.suffix[start]).bit_count()
        gains = []
        for i in range(start, len(self.order)):
            gain = (self.masks[i] & ~covered).bit_count()
            if gain and self.prices[i] <= room:
                gains.append((gain, self.prices[i]))
        gains.sort(key=lambda g: g[0] / g[1] if g[1] else float("inf"), reverse=True)
        total, left = float(covered.bit_count()), room
        for gain, price in gains:
            if price <= left:
                total, left = total + gain, left - price
            else:
                total += gain * left / price
                break
        return min(union, int(total))

    def run(self, start: int, covered: int, cost: int, chosen: tuple[str, ...]) -> None:
        if self.nodes_left <= 0:
            self.exhausted = True
            return
        self.nodes_left -= 1
        if chosen and self._better(covered, cost, chosen):
            self.best = _Choice(tuple(sorted(chosen)), covered, cost, exact=True)
        best_count = self.best.covered.bit_count()
        bound = self._bound(start, covered, self.budget - cost)
        if bound < best_count or (bound == best_count and cost >= self.best.cost):
            return
        for i in range(start, len(self.order)):
            mask, price = self.masks[i], self.prices[i]
            if cost + price > self.budget or not mask & ~covered:
                continue
            self.run(i + 1, covered | mask, cost + price, (*chosen, self.order[i]))
            if self.exhausted:
                return
