"""Which days sample (property tests): days of the week, every N days and bursts, counted
from the study's first day, alone and together, across daylight-saving changes and windows
past midnight; impossible combinations refused when the campaign is defined."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from typing import Any
from uuid import uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.esm.campaign import Campaign
from domain.esm.schedule import WEEKDAYS, SamplingDays, SchedulePolicy, plan_day
from domain.shared.errors import InvalidInput
from tests.support.esm import definition
from tests.unit.test_esm_schedule import DST_DAYS, bounds, random_policies, seeds, zones

STARTS = st.dates(date(2026, 1, 1), date(2026, 12, 31))
weekday_sets = st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=7, unique=True)


def days_after(first: date, count: int) -> list[date]:
    return [first + timedelta(days=n) for n in range(count)]


@settings(max_examples=150, deadline=None)
@given(STARTS, weekday_sets)
def test_days_of_week_sample_exactly_those_weekdays(first: date, names: list[str]) -> None:
    policy = SchedulePolicy.parse({"kind": "fixed", "times": ["09:00"], "days_of_week": names})
    for day in days_after(first, 21):
        assert policy.samples(day, first) == (WEEKDAYS[day.weekday()] in names)


@settings(max_examples=150, deadline=None)
@given(STARTS, st.integers(1, 30))
def test_every_n_days_samples_study_day_1_then_each_nth(first: date, n: int) -> None:
    policy = SchedulePolicy.parse({"kind": "fixed", "times": ["09:00"], "every_n_days": n})
    sampled = [d for d in days_after(first, 90) if policy.samples(d, first)]
    assert sampled[0] == first
    assert all((later - earlier).days == n for earlier, later in pairwise(sampled))


@settings(max_examples=150, deadline=None)
@given(STARTS, st.integers(1, 14), st.integers(1, 28))
def test_a_burst_samples_on_days_then_rests_off_days_repeatedly(
    first: date, on: int, off: int
) -> None:
    policy = SchedulePolicy.parse(
        {"kind": "fixed", "times": ["09:00"], "burst": {"on_days": on, "off_days": off}}
    )
    pattern = [policy.samples(d, first) for d in days_after(first, 3 * (on + off))]
    assert pattern == ([True] * on + [False] * off) * 3


@settings(max_examples=150, deadline=None)
@given(STARTS, weekday_sets, st.integers(1, 5), st.integers(1, 10), st.integers(1, 10))
def test_rules_together_sample_a_day_only_when_each_lets_it(
    first: date, names: list[str], n: int, on: int, off: int
) -> None:
    rules = {"days_of_week": names, "every_n_days": n, "burst": {"on_days": on, "off_days": off}}
    together = SamplingDays.parse(rules)
    alone = [SamplingDays.parse({key: value}) for key, value in rules.items()]
    for day in days_after(first, 60):
        assert together.samples(day, first) == all(rule.samples(day, first) for rule in alone)
    assert not together.samples(first - timedelta(days=1), first)  # before the study


@settings(max_examples=150, deadline=None)
@given(random_policies(), DST_DAYS, zones, seeds, weekday_sets)
def test_a_sampling_day_keeps_every_property_and_an_off_day_has_no_moment(
    policy: SchedulePolicy, day: date, tz: Any, seed: int, names: list[str]
) -> None:
    """Around daylight-saving changes and with windows past midnight: the calendar rules
    only pick days; a picked day is planned exactly as without them."""
    weekly = replace(policy, days=SamplingDays.parse({"days_of_week": names}))
    first = day - timedelta(days=day.weekday())  # the study began on that week's Monday
    moments = plan_day(weekly, day, tz, None, seed, first)
    if WEEKDAYS[day.weekday()] not in names:
        assert moments == []
        return
    assert moments == plan_day(policy, day, tz, None, seed)
    start, end = bounds(policy, day, tz)
    assert all(start <= m <= end for m in moments) and len(moments) == policy.prompts_per_day


def test_the_canonical_schedule_names_only_the_rules_given() -> None:
    plain = {"kind": "fixed", "window_start": "09:00", "window_end": "21:00", "times": ["09:00"]}
    assert SchedulePolicy.parse(plain).as_dict() == plain  # older schedules keep their shape
    rules = {
        "days_of_week": ["sat", "mon"],
        "every_n_days": 2,
        "burst": {"on_days": 7, "off_days": 21},
    }
    parsed = SchedulePolicy.parse({**plain, **rules}).as_dict()
    assert parsed == {**plain, **rules, "days_of_week": ["mon", "sat"]}
    assert SchedulePolicy.parse(parsed).as_dict() == parsed


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ({"days_of_week": []}, "days_of_week must list distinct days"),
        ({"days_of_week": ["mon", "mon"]}, "days_of_week must list distinct days"),
        ({"days_of_week": ["monday"]}, "days_of_week must list distinct days"),
        ({"every_n_days": 0}, "every_n_days must be an integer from 1 to 365"),
        ({"burst": {"on_days": 7}}, "burst must be {on_days, off_days}"),
        ({"burst": {"on_days": 0, "off_days": 3}}, "burst.on_days must be an integer"),
    ],
)
def test_impossible_rules_are_refused_with_a_message(rules: dict[str, Any], message: str) -> None:
    schedule = {"kind": "fixed", "times": ["09:00"], **rules}
    with pytest.raises(InvalidInput, match=message.replace("{", r"\{").replace("}", r"\}")):
        SchedulePolicy.parse(schedule)


def test_a_schedule_that_samples_no_day_of_the_campaign_is_refused() -> None:
    monday = date(2026, 6, 8)
    weekend = {"kind": "fixed", "times": ["09:00"], "days_of_week": ["sat", "sun"]}
    body = definition(monday, end_date=(monday + timedelta(days=4)).isoformat(), schedule=weekend)
    with pytest.raises(InvalidInput, match="samples no day from 2026-06-08 to 2026-06-12"):
        Campaign.create(uuid4(), uuid4(), body, datetime.combine(monday, time(0), tzinfo=UTC))
    body["end_date"] = (monday + timedelta(days=5)).isoformat()  # now it includes a Saturday
    assert Campaign.create(
        uuid4(), uuid4(), body, datetime.combine(monday, time(0), tzinfo=UTC)
    ).policy.days.weekdays == {5, 6}
