"""Quality flags of a response (too fast, straight-lined, a long gap) and their rules, which
a campaign defines and which are checked when defined."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from domain.esm.campaign import Campaign
from domain.esm.quality import DEFAULT_QUALITY, normalise_quality, quality_flags
from domain.esm.questionnaire import normalise_questionnaire
from domain.shared.errors import InvalidInput
from tests.support.decider import given
from tests.support.esm import definition

OPENED = datetime(2026, 6, 10, 8, 0, tzinfo=UTC)
QUESTIONNAIRE = normalise_questionnaire(
    {
        "questions": [
            {"id": "mood", "type": "likert", "text": "Mood", "points": 5},
            {"id": "calm", "type": "likert", "text": "Calm", "points": 7},
            {"id": "energy", "type": "slider", "text": "Energy", "min": 0, "max": 100},
            {"id": "note", "type": "text", "text": "Note", "required": False},
        ]
    }
)


def flags(answers: dict[str, Any], seconds: float, rules: dict[str, Any] | None = None) -> Any:
    at = OPENED + timedelta(seconds=seconds)
    return quality_flags(QUESTIONNAIRE, answers, OPENED, at, rules or DEFAULT_QUALITY)


def test_an_attentive_response_has_no_flag() -> None:
    found = flags({"mood": 4, "calm": 2, "energy": 70, "note": "fine"}, 40)
    assert found.duration_seconds == 40
    assert (found.too_fast, found.straight_lined, found.long_gap) == (False, False, False)


def test_faster_than_the_per_item_threshold_is_too_fast() -> None:
    answers = {"mood": 4, "calm": 2, "energy": 70}
    assert flags(answers, 2.9).too_fast  # 3 items, 1 s each
    assert not flags(answers, 3).too_fast
    assert flags(answers, 5, {**DEFAULT_QUALITY, "min_seconds_per_item": 2.0}).too_fast
    assert not flags(answers, 0, {**DEFAULT_QUALITY, "min_seconds_per_item": 0.0}).too_fast


def test_every_rating_at_one_scale_point_is_straight_lined() -> None:
    assert flags({"mood": 5, "calm": 7, "energy": 100}, 30).straight_lined  # all at the top
    assert flags({"mood": 3, "calm": 4, "energy": 50}, 30).straight_lined  # all midpoints
    assert not flags({"mood": 3, "calm": 4, "energy": 55}, 30).straight_lined
    assert not flags({"mood": 5, "calm": 7}, 30).straight_lined  # fewer than 3 ratings
    two = {**DEFAULT_QUALITY, "straight_line_min_items": 2}
    assert flags({"mood": 5, "calm": 7}, 30, two).straight_lined


def test_a_long_gap_between_opening_and_answering_is_flagged() -> None:
    answers = {"mood": 4, "calm": 2, "energy": 70}
    assert not flags(answers, 600).long_gap
    assert flags(answers, 601).long_gap


def test_a_response_posted_without_opening_the_link_has_no_duration() -> None:
    found = quality_flags(QUESTIONNAIRE, {"mood": 4}, None, OPENED, DEFAULT_QUALITY)
    assert (found.duration_seconds, found.too_fast, found.long_gap) == (None, False, False)


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ({"min_seconds_per_item": -1}, "min_seconds_per_item must be a number from 0 to 60"),
        ({"min_seconds_per_item": True}, "min_seconds_per_item must be a number"),
        ({"long_gap_minutes": 0}, "long_gap_minutes must be an integer from 1 to 1440"),
        ({"straight_line_min_items": 1}, "straight_line_min_items must be an integer from 2"),
        ({"speed": 1}, "speed is not a quality rule"),
        ("fast", "quality must be an object"),
    ],
)
def test_impossible_quality_rules_are_refused(rules: Any, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        normalise_quality(rules)


def test_a_campaign_keeps_its_quality_rules_with_the_defaults_filled_in() -> None:
    created = Campaign.create(
        uuid4(), uuid4(), definition(date(2026, 6, 10), quality={"long_gap_minutes": 5}), OPENED
    )
    campaign = given(created)
    assert campaign.quality_rules == {**DEFAULT_QUALITY, "long_gap_minutes": 5}
    with pytest.raises(InvalidInput, match="quality"):
        Campaign.create(uuid4(), uuid4(), definition(date(2026, 6, 10), quality=[]), OPENED)


def test_question_ids_that_differ_only_in_case_are_refused() -> None:
    questions = [
        {"id": "mood", "type": "number", "text": "a"},
        {"id": "Mood", "type": "number", "text": "b"},
    ]
    with pytest.raises(InvalidInput, match="ignoring case"):
        normalise_questionnaire({"questions": questions})
