"""The subscription planner (domain/myvod/subscriptions.py): examples, then properties
(hypothesis): it never picks a service that adds no wanted title, stays within the budget,
and on small cases equals brute force."""

from __future__ import annotations

from itertools import combinations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.myvod.subscriptions import best_services, plan_subscriptions
from domain.shared.errors import InvalidInput

PRICES = {"netflix": 1500, "hbomax": 1000, "mubi": 800, "disneyplus": 900}
PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def brute_force(masks: dict[str, int], prices: dict[str, int], budget: int) -> tuple[int, int]:
    """(titles covered, cost) of the best affordable set, trying every set."""
    best = (0, 0)
    names = sorted(masks)
    for size in range(1, len(names) + 1):
        for group in combinations(names, size):
            cost = sum(prices[s] for s in group)
            if cost > budget:
                continue
            covered = 0
            for s in group:
                covered |= masks[s]
            if (covered.bit_count(), -cost) > (best[0], -best[1]):
                best = (covered.bit_count(), cost)
    return best


def masks_of(wanted: dict[int, list[str]]) -> dict[str, int]:
    masks: dict[str, int] = {}
    for bit, title in enumerate(sorted(wanted)):
        for service in wanted[title]:
            masks[service] = masks.get(service, 0) | (1 << bit)
    return masks


def test_the_cheapest_set_covering_most_titles_is_picked_first() -> None:
    # given: two films on Netflix only, one on HBO Max and MUBI, one nowhere
    wanted = {1: ["netflix"], 2: ["netflix"], 3: ["hbomax", "mubi"], 4: []}
    # when: 25.00 a month
    plan = plan_subscriptions(wanted, PRICES, 2500)
    # then: Netflix and the cheaper of the two for film 3, in one month
    assert [m.services for m in plan.months] == [("mubi", "netflix")]
    assert plan.months[0].cost == 2300
    assert plan.unavailable == (4,)


def test_a_small_budget_spreads_the_list_over_months() -> None:
    wanted = {1: ["netflix"], 2: ["netflix"], 3: ["hbomax"], 4: ["mubi"]}
    plan = plan_subscriptions(wanted, PRICES, 1500)
    assert [(m.number, m.services, m.titles) for m in plan.months] == [
        (1, ("netflix",), (1, 2)),
        (2, ("mubi",), (4,)),  # the cheaper of two that add one film each
        (3, ("hbomax",), (3,)),
    ]
    assert plan.later == ()


def test_dropping_a_service_says_what_only_it_covers_and_what_it_saves() -> None:
    wanted = {1: ["netflix", "hbomax"], 2: ["netflix"], 3: ["hbomax"]}
    month = plan_subscriptions(wanted, PRICES, 3000).months[0]
    assert {d.service: (d.loses, d.saves) for d in month.drops} == {
        "hbomax": ((3,), 1000),
        "netflix": ((2,), 1500),
    }


def test_a_service_dearer_than_the_budget_is_unaffordable_not_planned() -> None:
    plan = plan_subscriptions({1: ["netflix"], 2: ["mubi"]}, PRICES, 1000)
    assert [m.services for m in plan.months] == [("mubi",)]
    assert plan.unaffordable == (1,)


def test_a_service_without_a_price_is_never_picked() -> None:
    plan = plan_subscriptions({1: ["unknownflix"]}, PRICES, 5000)
    assert plan.months == () and plan.unavailable == (1,)


@pytest.mark.parametrize("budget", [-1, 1.5, 10**12])
def test_a_budget_out_of_range_is_refused(budget: object) -> None:
    with pytest.raises(InvalidInput):
        plan_subscriptions({1: ["netflix"]}, PRICES, budget)  # type: ignore[arg-type]


def test_a_free_service_that_others_cover_is_not_kept() -> None:
    # a free service covering a subset of a paid one's titles adds nothing to that set
    choice = best_services({"free": 0b01, "paid": 0b11}, {"free": 0, "paid": 500}, 500)
    assert choice.services == ("paid",)


SERVICES = [f"s{i}" for i in range(7)]
wanted_lists = st.dictionaries(
    st.integers(1, 40),
    st.lists(st.sampled_from(SERVICES), max_size=4, unique=True),
    max_size=14,
)
price_tables = st.fixed_dictionaries({s: st.integers(0, 20) for s in SERVICES})


@PROPERTY
@given(wanted=wanted_lists, prices=price_tables, budget=st.integers(0, 45))
def test_on_small_cases_the_first_month_equals_brute_force(
    wanted: dict[int, list[str]], prices: dict[str, int], budget: int
) -> None:
    masks = masks_of(wanted)
    affordable = {s: m for s, m in masks.items() if prices[s] <= budget}
    best = brute_force(affordable, prices, budget)
    plan = plan_subscriptions(wanted, prices, budget)
    first = plan.months[0] if plan.months else None
    got = (len(first.titles), first.cost) if first else (0, 0)
    assert got == best
    assert first is None or first.exact


@PROPERTY
@given(wanted=wanted_lists, prices=price_tables, budget=st.integers(0, 45))
def test_every_picked_service_adds_a_wanted_title_within_the_budget(
    wanted: dict[int, list[str]], prices: dict[str, int], budget: int
) -> None:
    plan = plan_subscriptions(wanted, prices, budget)
    seen: set[int] = set()
    for month in plan.months:
        assert month.cost == sum(prices[s] for s in month.services) <= budget
        assert all(drop.loses for drop in month.drops), "a pick that adds nothing"
        assert not seen & set(month.titles), "a title planned twice"
        seen |= set(month.titles)
    accounted = seen | set(plan.unavailable) | set(plan.unaffordable) | set(plan.later)
    assert accounted == set(wanted)


@PROPERTY
@given(wanted=wanted_lists, prices=price_tables, budget=st.integers(0, 45))
def test_a_search_cut_short_still_picks_only_useful_services(
    wanted: dict[int, list[str]], prices: dict[str, int], budget: int
) -> None:
    plan = plan_subscriptions(wanted, prices, budget, node_limit=2)
    for month in plan.months:
        assert month.cost <= budget
        assert all(drop.loses for drop in month.drops)
