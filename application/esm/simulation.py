"""What a schedule will do, before it does it: the real scheduler (`plan_day`) run for
simulated participants over the campaign's days, in their zones. Nothing is written.

* `prompts_per_participant_day`: the mean number of prompts a participant gets a day;
* `night_prompts`: prompts falling between 22:00 and 07:00 local time;
* `min_gap_minutes`: the shortest gap drawn between two prompts of one participant-day;
* `emails`: prompts plus, when reminders are set, each reminder at most once a prompt;
* `coverage_by_hour`: prompts per local hour of day (0..23), all participants together;
* `calendar`: one sample participant's days, with their UTC offset and the prompts' local
  times, flagging the days whose offset differs from the day before (DST changes).
"""

from __future__ import annotations

import random
from datetime import UTC, date, time, timedelta
from itertools import pairwise
from typing import Any

from domain.esm.campaign_settings import normalise_settings
from domain.esm.questionnaires import derived_seed
from domain.esm.schedule import SchedulePolicy, Window, local_instant, plan_day, zone
from domain.shared.errors import InvalidInput

MAX_PARTICIPANTS = 200
MAX_PARTICIPANT_DAYS = 20_000
NIGHT_START, NIGHT_END = 22, 7
SIMULATION_SEED = 20_240_601


def _offset(day: date, tz: Any) -> str:
    noon = local_instant(day, time(12, 0), tz).astimezone(tz)
    offset = noon.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def simulate(
    definition: dict[str, Any],
    participants: int = 1,
    timezones: list[str] | None = None,
    sample: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Runs the scheduler for `participants` people (their zones cycle through
    `timezones`, default the campaign's) and one `sample` person (zone and window)."""
    settings = normalise_settings(definition)
    if not isinstance(participants, int) or not 1 <= participants <= MAX_PARTICIPANTS:
        raise InvalidInput(f"participants must be an integer from 1 to {MAX_PARTICIPANTS}")
    zones = timezones or [settings["timezone"]]
    for name in zones:
        zone(name)
    policy = SchedulePolicy.parse(settings["schedule"])
    policies = [(q["id"], SchedulePolicy.parse(q["schedule"])) for q in settings["questionnaires"]]
    days = _days(
        date.fromisoformat(settings["start_date"]), date.fromisoformat(settings["end_date"])
    )
    if participants * len(days) > MAX_PARTICIPANT_DAYS:
        raise InvalidInput(
            f"simulate at most {MAX_PARTICIPANT_DAYS} participant-days"
            f" ({participants} participants x {len(days)} days asked)"
        )
    rng = random.Random(SIMULATION_SEED)
    coverage = [0] * 24
    total = night = 0
    gap: float | None = None
    for index in range(participants):
        tz = zone(zones[index % len(zones)])
        for day in days:
            seed = rng.randrange(2**63)
            moments = sorted(
                moment
                for k, (qid, each) in enumerate(policies)
                for moment in plan_day(each, day, tz, None, derived_seed(seed, k, qid), days[0])
            )
            total += len(moments)
            for earlier, later in pairwise(moments):
                minutes = (later - earlier).total_seconds() / 60
                gap = minutes if gap is None else min(gap, minutes)
            for moment in moments:
                hour = moment.astimezone(tz).hour
                coverage[hour] += 1
                if hour >= NIGHT_START or hour < NIGHT_END:
                    night += 1
    reminders = len(settings["reminders"])
    return {
        "participants": participants,
        "days": len(days),
        "prompts": total,
        "prompts_per_participant_day": round(total / (participants * len(days)), 2),
        "night_prompts": night,
        "min_gap_minutes": round(gap, 1) if gap is not None else None,
        "emails": total * (1 + reminders),
        "coverage_by_hour": coverage,
        "calendar": calendar(settings, policy, days, sample or {}),
    }


def calendar(
    settings: dict[str, Any], policy: SchedulePolicy, days: list[date], sample: dict[str, Any]
) -> dict[str, Any]:
    name = sample.get("timezone") or settings["timezone"]
    tz = zone(name)
    start, end = sample.get("window_start"), sample.get("window_end")
    if (start is None) != (end is None):
        raise InvalidInput("give both sample.window_start and sample.window_end, or neither")
    window = Window.parse(start, end) if start is not None else None
    if window is not None:
        policy.check_window(window)
    shown = window or policy.window
    rng = random.Random(SIMULATION_SEED + 1)
    previous: str | None = None
    result = []
    for day in days:
        offset = _offset(day, tz)
        moments = plan_day(policy, day, tz, window, rng.randrange(2**63), days[0])
        result.append(
            {
                "date": day,
                "weekday": day.strftime("%a"),
                "utc_offset": offset,
                "dst_change": previous is not None and offset != previous,
                "prompts": [
                    {
                        "at": m.astimezone(UTC),
                        "local_time": m.astimezone(tz).strftime("%H:%M"),
                        "local_date": m.astimezone(tz).date(),
                    }
                    for m in moments
                ],
            }
        )
        previous = offset
    start_text, end_text = shown.as_strings()
    return {
        "timezone": name,
        "window_start": start_text,
        "window_end": end_text,
        "days": result,
        "dst_changes": [d["date"] for d in result if d["dst_change"]],
    }
