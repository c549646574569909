"""Pinned draws: for a recorded seed the planned moments (and the prompt ids) never change,
so a replay or an audit reproduces exactly the prompts that were sent. Any change to the
schedule maths, the random draws or the planning path that moves one of these is a break of
every stored campaign, not a refactoring."""

from __future__ import annotations

from datetime import UTC, date, datetime
from itertools import count
from uuid import UUID

import pytest

from application.esm.planning import plan_upcoming_days
from domain.esm.campaign import Campaign
from domain.esm.enrollment import Enrollment
from domain.esm.schedule import SchedulePolicy, Window, plan_day, zone

POLICY = {
    "kind": "random",
    "prompts_per_day": 3,
    "min_gap_minutes": 30,
    "window_start": "09:00",
    "window_end": "21:00",
}


@pytest.mark.parametrize(
    ("tz", "day", "seed", "window", "expected"),
    [
        (  # spring forward in Warsaw
            "Europe/Warsaw",
            date(2026, 3, 29),
            1,
            None,
            ["2026-03-29T07:36:41+00:00", "2026-03-29T13:35:25+00:00", "2026-03-29T18:51:24+00:00"],
        ),
        (  # fall back in Warsaw
            "Europe/Warsaw",
            date(2026, 10, 25),
            42,
            None,
            ["2026-10-25T10:54:36+00:00", "2026-10-25T12:30:24+00:00", "2026-10-25T16:06:49+00:00"],
        ),
        (  # a personal window across midnight on New York's fall-back night
            "America/New_York",
            date(2026, 11, 1),
            2**62 + 7,
            ("22:00", "01:30"),
            ["2026-11-02T03:42:26+00:00", "2026-11-02T04:36:07+00:00", "2026-11-02T05:53:50+00:00"],
        ),
        (
            "Australia/Lord_Howe",
            date(2026, 6, 15),
            123456789,
            None,
            ["2026-06-15T01:25:08+00:00", "2026-06-15T04:30:46+00:00", "2026-06-15T08:58:03+00:00"],
        ),
    ],
)
def test_a_seed_draws_the_same_moments(
    tz: str, day: date, seed: int, window: tuple[str, str] | None, expected: list[str]
) -> None:
    personal = Window.parse(*window) if window else None
    moments = plan_day(SchedulePolicy.parse(POLICY), day, zone(tz), personal, seed)
    assert [m.isoformat() for m in moments] == expected


def test_planning_an_enrollment_gives_the_same_prompt_ids_and_times() -> None:
    at = datetime(2026, 12, 1, 5, 0, tzinfo=UTC)
    campaign = Campaign.create(
        UUID(int=1),
        UUID(int=2),
        {
            "name": "Pinned study",
            "timezone": "Europe/Warsaw",
            "start_date": "2026-12-01",
            "end_date": "2026-12-14",
            "expiry_minutes": 60,
            "completion_minutes": 15,
            "reminder_after_minutes": 20,
            "questionnaire": {
                "questions": [{"id": "mood", "type": "likert", "text": "Mood?", "points": 5}]
            },
            "schedule": {
                "kind": "random",
                "prompts_per_day": 3,
                "window_start": "09:00",
                "window_end": "21:00",
            },
        },
        at,
    )
    campaign.launch(at)
    enrollment = Enrollment.enroll(
        campaign_id=campaign.id,
        subject_id=UUID(int=3),
        sealed_email="sealed",
        timezone="Europe/Warsaw",
        window_start=None,
        window_end=None,
        at=at,
    )
    seeds = count(7)
    prompts = plan_upcoming_days(campaign, enrollment, at, lambda: next(seeds), 2)

    assert str(enrollment.id) == "a57cdff3-27e5-51dd-9bd2-5ef1c814299c"
    assert [(str(p.id), p.day, p.sequence, p.scheduled_at.isoformat()) for p in prompts] == [
        ("9e79522f-4a6d-5a7b-ac8c-aa2009617d7d", "2026-12-01", 0, "2026-12-01T09:28:25+00:00"),
        ("db066fff-eb39-52e9-9633-392e13b374e5", "2026-12-01", 1, "2026-12-01T12:41:11+00:00"),
        ("8ad68fb7-4621-54fe-8e12-84d09fb7cc90", "2026-12-01", 2, "2026-12-01T17:47:48+00:00"),
        ("d3f0004b-e41f-5457-8de7-0ca96a531aa6", "2026-12-02", 0, "2026-12-02T09:01:54+00:00"),
        ("f16ca2fb-d1f4-5ab0-abfc-f6455f03d92b", "2026-12-02", 1, "2026-12-02T13:41:08+00:00"),
        ("72ddc61d-eba0-5a15-a7eb-398ebf37779e", "2026-12-02", 2, "2026-12-02T17:42:30+00:00"),
        ("6bc21e8d-1cbe-564d-9108-4c48141e7d45", "2026-12-03", 0, "2026-12-03T10:06:25+00:00"),
        ("d6032f76-8499-5c00-b73a-8a4345e15f67", "2026-12-03", 1, "2026-12-03T14:47:26+00:00"),
        ("47e0a64f-b129-5237-adfc-1277d4100c19", "2026-12-03", 2, "2026-12-03T17:41:56+00:00"),
    ]
    assert enrollment.planned_days == {"2026-12-01", "2026-12-02", "2026-12-03"}
