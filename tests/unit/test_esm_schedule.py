"""Property tests of the schedule maths: count, window, gap, daylight saving, dates and
determinism from the recorded seed."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.esm.schedule import (
    InvalidSchedule,
    SchedulePolicy,
    Window,
    days_to_plan,
    local_instant,
    plan_day,
    window_minutes,
)

ZONES = [
    "Europe/Warsaw",
    "America/New_York",
    "America/Sao_Paulo",
    "Australia/Lord_Howe",  # 30-minute daylight-saving shift
    "Pacific/Chatham",
    "Asia/Kolkata",
    "UTC",
]
# Days around the 2026 transitions of both hemispheres, plus any day of the year.
DST_DAYS = st.one_of(
    st.dates(date(2026, 3, 6), date(2026, 4, 8)),
    st.dates(date(2026, 9, 25), date(2026, 11, 3)),
    st.dates(date(2026, 1, 1), date(2026, 12, 31)),
)
zones = st.sampled_from(ZONES).map(ZoneInfo)
seeds = st.integers(0, 2**63 - 1)


@st.composite
def windows(draw: st.DrawFn, min_minutes: int = 60) -> Window:
    """Same-day windows and windows running past midnight (e.g. 20:00-02:00)."""
    start = draw(st.integers(0, 24 * 60 - 1))
    length = draw(st.integers(min_minutes, 20 * 60))
    end = (start + length) % (24 * 60)
    return Window(time(start // 60, start % 60), time(end // 60, end % 60))


@st.composite
def random_policies(draw: st.DrawFn) -> SchedulePolicy:
    window = draw(windows())
    length = window_minutes(window.start, window.end)
    count = draw(st.integers(1, min(12, length // 5)))
    gap = draw(st.integers(0, length // count))
    return SchedulePolicy(kind="random", window=window, prompts_per_day=count, min_gap_minutes=gap)


def exists_locally(moment: datetime, tz: ZoneInfo) -> bool:
    """The moment's local wall-clock time maps back to the same instant."""
    local = moment.astimezone(tz)
    again = local.replace(tzinfo=None).replace(tzinfo=tz, fold=local.fold)
    return again.astimezone(UTC) == moment


def bounds(policy: SchedulePolicy, day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    end_day = day + timedelta(days=1) if policy.window.end <= policy.window.start else day
    return local_instant(day, policy.window.start, tz), local_instant(
        end_day, policy.window.end, tz
    )


@settings(max_examples=150, deadline=None)
@given(random_policies(), DST_DAYS, zones, seeds)
def test_random_draw_has_the_count_inside_the_window_with_the_gap(
    policy: SchedulePolicy, day: date, tz: ZoneInfo, seed: int
) -> None:
    moments = plan_day(policy, day, tz, None, seed)
    start, end = bounds(policy, day, tz)
    assert len(moments) == policy.prompts_per_day
    assert moments == sorted(set(moments))
    assert all(start <= m < end for m in moments)
    block = int((end - start).total_seconds()) // policy.prompts_per_day
    gap = min(policy.min_gap_minutes * 60, block)  # a DST-shortened day narrows the gap
    for earlier, later in itertools.pairwise(moments):
        assert (later - earlier).total_seconds() >= gap
    # stratified: the i-th moment lies in the i-th block of the window
    for index, moment in enumerate(moments):
        offset = (moment - start).total_seconds()
        assert index * block <= offset < (index + 1) * block
    assert all(exists_locally(m, tz) for m in moments)


@settings(max_examples=100, deadline=None)
@given(random_policies(), DST_DAYS, zones, seeds)
def test_the_recorded_seed_reproduces_the_day(
    policy: SchedulePolicy, day: date, tz: ZoneInfo, seed: int
) -> None:
    assert plan_day(policy, day, tz, None, seed) == plan_day(policy, day, tz, None, seed)


def test_different_seeds_give_different_days() -> None:
    policy = SchedulePolicy.parse(
        {"kind": "random", "prompts_per_day": 6, "window_start": "08:00", "window_end": "22:00"}
    )
    tz = ZoneInfo("Europe/Warsaw")
    days = {tuple(plan_day(policy, date(2026, 5, 1), tz, None, seed)) for seed in range(20)}
    assert len(days) == 20


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.integers(0, 24 * 60 - 1), min_size=1, max_size=12, unique=True),
    DST_DAYS,
    zones,
)
def test_fixed_times_exist_locally_and_never_repeat(
    minutes: list[int], day: date, tz: ZoneInfo
) -> None:
    times = [f"{m // 60:02d}:{m % 60:02d}" for m in minutes]
    policy = SchedulePolicy.parse({"kind": "fixed", "times": times})
    moments = plan_day(policy, day, tz, None, seed=0)
    assert moments == sorted(set(moments))
    assert 1 <= len(moments) <= len(times)
    assert all(exists_locally(m, tz) for m in moments)
    for moment in moments:
        local = moment.astimezone(tz)
        # on its own day; at the wall-clock time asked for, or moved forward out of a gap
        assert local.date() == day
        asked = [datetime.combine(day, time(m // 60, m % 60)) for m in minutes]
        assert any(
            timedelta(0) <= local.replace(tzinfo=None) - a <= timedelta(hours=1) for a in asked
        )


def test_a_fixed_time_in_the_spring_gap_moves_forward_by_the_gap() -> None:
    policy = SchedulePolicy.parse({"kind": "fixed", "times": ["02:30", "03:30"]})
    tz = ZoneInfo("Europe/Warsaw")
    moments = plan_day(policy, date(2026, 3, 29), tz, None, seed=0)
    assert [m.astimezone(tz).strftime("%H:%M") for m in moments] == ["03:30"]


def test_a_fixed_time_in_the_autumn_fold_happens_once() -> None:
    policy = SchedulePolicy.parse({"kind": "fixed", "times": ["02:30"]})
    tz = ZoneInfo("Europe/Warsaw")
    moments = plan_day(policy, date(2026, 10, 25), tz, None, seed=0)
    assert len(moments) == 1
    assert moments[0] == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # the first 02:30 (CEST)


@settings(max_examples=100, deadline=None)
@given(windows(), st.integers(5, 240), DST_DAYS, zones)
def test_interval_moments_are_evenly_spaced_in_real_time(
    window: Window, every: int, day: date, tz: ZoneInfo
) -> None:
    policy = SchedulePolicy(kind="interval", window=window, every_minutes=every)
    moments = plan_day(policy, day, tz, None, seed=0)
    start, end = bounds(policy, day, tz)
    assert moments[0] == start
    assert all(start <= m <= end for m in moments)
    assert all(
        later - earlier == timedelta(minutes=every)
        for earlier, later in itertools.pairwise(moments)
    )
    assert moments[-1] + timedelta(minutes=every) > end
    assert all(exists_locally(m, tz) for m in moments)


def test_interval_across_the_autumn_change_does_not_repeat_the_hour() -> None:
    policy = SchedulePolicy.parse(
        {"kind": "interval", "every_minutes": 30, "window_start": "01:00", "window_end": "04:00"}
    )
    moments = plan_day(policy, date(2026, 10, 25), ZoneInfo("Europe/Warsaw"), None, seed=0)
    assert len(moments) == len(set(moments)) == 9  # 4 real hours: 01:00 .. 04:00 local


@settings(max_examples=150, deadline=None)
@given(
    st.dates(date(2026, 1, 1), date(2026, 12, 31)),
    st.integers(0, 60),
    st.dates(date(2026, 1, 1), date(2026, 12, 31)),
    st.integers(0, 7),
    st.sets(st.dates(date(2026, 1, 1), date(2026, 12, 31)).map(date.isoformat), max_size=10),
)
def test_planning_never_leaves_the_campaign_dates(
    start: date, length: int, today: date, ahead: int, planned: set[str]
) -> None:
    end = start + timedelta(days=length)
    days = days_to_plan(start, end, today, ahead, planned)
    assert days == sorted(set(days))
    for day in days:
        assert start <= day <= end
        assert today <= day <= today + timedelta(days=ahead)
        assert day.isoformat() not in planned


def test_a_personal_window_replaces_the_campaign_window() -> None:
    policy = SchedulePolicy.parse({"kind": "random", "prompts_per_day": 3})
    tz = ZoneInfo("America/New_York")
    personal = Window.parse("06:00", "08:00")
    moments = plan_day(policy, date(2026, 7, 1), tz, personal, seed=7)
    assert all(time(6) <= m.astimezone(tz).time() < time(8) for m in moments)


@pytest.mark.parametrize(
    "schedule",
    [
        {"kind": "sometimes"},
        {"kind": "random"},
        {"kind": "random", "prompts_per_day": 0},
        {"kind": "random", "prompts_per_day": 5, "window_start": "9:00"},
        {"kind": "random", "prompts_per_day": 5, "window_start": "12:00", "window_end": "12:10"},
        {"kind": "random", "prompts_per_day": 8, "min_gap_minutes": 120},
        {"kind": "fixed", "times": []},
        {"kind": "fixed", "times": ["08:00", "08:00"]},
        {"kind": "fixed", "times": ["25:00"]},
        {"kind": "interval", "every_minutes": 1},
    ],
)
def test_bad_schedules_are_refused(schedule: dict) -> None:
    with pytest.raises(InvalidSchedule):
        SchedulePolicy.parse(schedule)


def test_a_window_past_midnight_samples_into_the_next_morning() -> None:
    policy = SchedulePolicy.parse(
        {"kind": "interval", "every_minutes": 60, "window_start": "22:00", "window_end": "02:00"}
    )
    tz = ZoneInfo("Europe/Warsaw")
    moments = plan_day(policy, date(2026, 10, 24), tz, None, seed=0)  # DST ends that night
    local = [m.astimezone(tz).strftime("%d %H:%M %Z") for m in moments]
    # the window ends at the first of the two 02:00s: four real hours, five moments
    assert local == [
        "24 22:00 CEST",
        "24 23:00 CEST",
        "25 00:00 CEST",
        "25 01:00 CEST",
        "25 02:00 CEST",
    ]


def test_consecutive_days_with_a_night_window_never_overlap() -> None:
    policy = SchedulePolicy.parse(
        {"kind": "random", "prompts_per_day": 4, "window_start": "20:00", "window_end": "03:00"}
    )
    tz = ZoneInfo("America/New_York")
    first = plan_day(policy, date(2026, 3, 7), tz, None, seed=1)
    second = plan_day(policy, date(2026, 3, 8), tz, None, seed=1)
    assert max(first) < min(second)
