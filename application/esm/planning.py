"""Planning one enrollment's upcoming days (the schedule maths is pure, in
domain/esm/schedule.py; turning a drawn day into prompts is domain/esm/planning.py)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from domain.esm.campaign import Campaign
from domain.esm.enrollment import Enrollment
from domain.esm.planning import draw_day, plan_prompts
from domain.esm.prompt import Prompt
from domain.esm.schedule import Window, days_to_plan, zone


def personal_window(enrollment: Enrollment) -> Window | None:
    if not enrollment.window_start:
        return None
    return Window.parse(enrollment.window_start, enrollment.window_end)


def plan_upcoming_days(
    campaign: Campaign,
    enrollment: Enrollment,
    now: datetime,
    seed_source: Callable[[], int],
    ahead_days: int,
    day_caps: Mapping[str, int] | None = None,
) -> list[Prompt]:
    """Plans the enrollment's upcoming days (mutates it); returns the new prompts.

    Moments already past, or inside the participant's pause, are left out. `day_caps`
    limits how many prompts a day may still get (a re-planned day keeps its count)."""
    if campaign.status != "active" or enrollment.status != "active":
        return []
    tz = zone(enrollment.timezone)
    window = personal_window(enrollment)
    today = now.astimezone(tz).date()
    not_before = max(now, enrollment.paused_until or now)
    prompts: list[Prompt] = []
    days = days_to_plan(
        campaign.start_date, campaign.end_date, today, ahead_days, enrollment.planned_days
    )
    for day in days:
        seed = seed_source()
        drawn = [pair for pair in draw_day(campaign, day, tz, window, seed) if pair[0] > not_before]
        cap = (day_caps or {}).get(day.isoformat())
        if cap is not None:
            drawn = drawn[: max(cap, 0)]
        moments = [moment for moment, _ in drawn]
        which = [questionnaire for _, questionnaire in drawn]
        prompts += plan_prompts(campaign, enrollment, day, seed, moments, now, which)
    return prompts
