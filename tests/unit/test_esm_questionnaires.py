"""Several questionnaires per campaign, each with its own schedule: validated when defined,
planned together from one recorded seed per day (a one-questionnaire campaign draws exactly
as before), each prompt carrying its questionnaire; older events read as one, `main`."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest

from domain.esm.campaign import Campaign
from domain.esm.enrollment import Enrollment
from domain.esm.planning import draw_day, plan_prompts
from domain.esm.prompt import Prompt
from domain.esm.schedule import SchedulePolicy, plan_day
from domain.shared.errors import InvalidInput
from tests.support.decider import given
from tests.support.esm import definition
from tests.support.esm_domain import new_enrollment

NOW = datetime(2026, 6, 10, 4, 0, tzinfo=UTC)
MOOD = {"id": "mood", "type": "likert", "text": "How is your mood?", "points": 5}
SLEEP = {"id": "sleep", "type": "number", "text": "Hours slept", "min": 0, "max": 24}
DAY = {"id": "day_rating", "type": "likert", "text": "How was your day?", "points": 7}
THREE = [
    {"id": "morning", "name": "Morning", "questions": [SLEEP, MOOD],
     "schedule": {"kind": "fixed", "times": ["07:30"]}},
    {"id": "moment", "name": "Momentary", "questions": [MOOD],
     "schedule": {"kind": "random", "prompts_per_day": 4, "window_start": "09:00",
                  "window_end": "21:00", "min_gap_minutes": 60}},
    {"id": "evening", "name": "Evening diary", "questions": [DAY, MOOD],
     "schedule": {"kind": "fixed", "times": ["21:30"], "days_of_week": ["mon", "wed", "fri"]}},
]  # fmt: skip


def campaign_with(**overrides: Any) -> Campaign:
    body = definition(NOW.date(), **overrides)
    return Campaign.create(uuid4(), uuid4(), body, NOW)


def three() -> Campaign:
    body = definition(NOW.date(), questionnaires=THREE)
    del body["questionnaire"], body["schedule"]
    return given(Campaign.create(uuid4(), uuid4(), body, NOW), lambda c: c.launch(NOW))


def test_three_questionnaires_keep_their_own_schedules_and_the_first_is_the_older_view() -> None:
    campaign = three()
    assert [q["id"] for q in campaign.questionnaires] == ["morning", "moment", "evening"]
    assert campaign.settings["questionnaire"]["questions"][0]["id"] == "sleep"
    assert campaign.settings["schedule"]["times"] == ["07:30"]
    assert campaign.questionnaire_for("evening")["questions"][0]["id"] == "day_rating"


def test_an_older_campaign_has_one_questionnaire_called_main() -> None:
    campaign = campaign_with()
    assert [q["id"] for q in campaign.questionnaires] == ["main"]
    campaign.settings.pop("questionnaires")  # as settings stored before there could be more
    assert (
        campaign.questionnaires[0]["questions"] == campaign.settings["questionnaire"]["questions"]
    )


@pytest.mark.parametrize(
    ("questionnaires", "message"),
    [
        ([], "a list of 1 to 5"),
        ([THREE[0], {**THREE[1], "id": "Morning"}], "its own id"),
        ([{**THREE[0], "name": ""}], "questionnaire 'morning': name must be"),
        ([{**THREE[0], "schedule": {"kind": "weekly"}}], "questionnaire 'morning': schedule.kind"),
        ([{**THREE[0], "event_contingent": True}], "not supported yet"),
        ([THREE[0], {**THREE[1], "questions": [{**MOOD, "points": 7}]}],
         "question 'mood' is defined differently in questionnaires 'morning' and 'moment'"),
        ([{**THREE[2], "schedule": {**THREE[2]["schedule"], "days_of_week": ["sun"]}}],
         "the schedule samples no day"),
    ],
)  # fmt: skip
def test_impossible_questionnaires_are_refused_with_a_message(
    questionnaires: list[Any], message: str
) -> None:
    body = definition(NOW.date(), questionnaires=questionnaires, end_date="2026-06-12")
    del body["questionnaire"], body["schedule"]
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(")):
        Campaign.create(uuid4(), uuid4(), body, NOW)


def test_both_shapes_at_once_must_agree() -> None:
    with pytest.raises(InvalidInput, match="not both"):
        campaign_with(questionnaires=THREE)


def test_editing_the_older_fields_edits_the_one_questionnaire_and_bumps_the_version() -> None:
    campaign = given(campaign_with())
    campaign.update({"questionnaire": {"questions": [MOOD]}}, NOW)
    assert campaign.questionnaires[0]["id"] == "main"
    assert (
        campaign.questionnaires[0]["questions"] == campaign.settings["questionnaire"]["questions"]
    )
    assert campaign.questionnaire_version == 2
    several = given(Campaign.create(uuid4(), uuid4(), three().settings, NOW))
    with pytest.raises(InvalidInput, match="several questionnaires"):
        several.update({"schedule": {"kind": "fixed", "times": ["08:00"]}}, NOW)


def test_a_day_draws_every_questionnaire_from_one_seed_in_time_order() -> None:
    campaign = three()
    tz = ZoneInfo("Europe/Warsaw")
    wednesday = date(2026, 6, 10)
    drawn = draw_day(campaign, wednesday, tz, None, 42)
    assert [q for _, q in drawn] == ["morning", *["moment"] * 4, "evening"]
    assert drawn == draw_day(campaign, wednesday, tz, None, 42)  # the seed alone decides
    assert [m for m, _ in drawn] == sorted(m for m, _ in drawn)
    thursday = [q for _, q in draw_day(campaign, wednesday + timedelta(days=1), tz, None, 42)]
    assert "evening" not in thursday  # the diary keeps its own days


def test_one_questionnaire_draws_exactly_as_before() -> None:
    campaign = given(campaign_with(), lambda c: c.launch(NOW))
    tz = ZoneInfo("Europe/Warsaw")
    policy = SchedulePolicy.parse(campaign.settings["schedule"])
    old = plan_day(policy, NOW.date(), tz, None, 7, campaign.start_date)
    assert [m for m, _ in draw_day(campaign, NOW.date(), tz, None, 7)] == old


def test_each_prompt_carries_its_questionnaire_and_the_day_records_them() -> None:
    campaign = three()
    enrollment: Enrollment = given(new_enrollment(NOW, "Europe/Warsaw"))
    drawn = draw_day(campaign, date(2026, 6, 10), ZoneInfo("Europe/Warsaw"), None, 42)
    prompts = plan_prompts(
        campaign, enrollment, date(2026, 6, 10), 42, [m for m, _ in drawn], NOW,
        [q for _, q in drawn],
    )  # fmt: skip
    assert [p.questionnaire for p in prompts] == [q for _, q in drawn]
    (planned,) = enrollment.collect_events()
    assert planned.questionnaires == [q for _, q in drawn]  # type: ignore[attr-defined]


def test_version_2_prompts_and_version_1_days_read_as_main() -> None:
    state: dict[str, Any] = {"reminder_after_minutes": None}
    Prompt.Scheduled.upcast_v2_v3(state)
    assert state["questionnaire"] == "main"
    day: dict[str, Any] = {}
    Enrollment.DayPlanned.upcast_v1_v2(day)
    assert day["questionnaires"] == []
