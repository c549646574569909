"""Given events, when a command, then events: the ESMpress aggregates and questionnaires."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from domain.esm.campaign import Campaign, CampaignStateConflict
from domain.esm.delivery import DeliveryOutcome
from domain.esm.enrollment import EnrollmentWithdrawn
from domain.esm.prompt import AlreadyAnswered, Prompt, PromptExpired
from domain.esm.questionnaire import (
    InvalidAnswer,
    InvalidQuestionnaire,
    coerce_form,
    normalise_questionnaire,
    validate_answers,
)
from domain.shared.errors import Conflict, InvalidInput
from tests.support.decider import given
from tests.support.decider import then as names
from tests.support.esm import VALID_ANSWERS, definition
from tests.support.esm_domain import new_enrollment
from tests.support.esm_domain import new_prompt as support_prompt

NOW = datetime(2026, 6, 10, 8, 0, tzinfo=UTC)


def new_campaign(**overrides: Any) -> Campaign:
    """A just-created campaign, its Created event still to be collected."""
    return Campaign.create(uuid4(), uuid4(), definition(NOW.date(), **overrides), NOW)


def sent(prompt: Prompt) -> Prompt:
    """The prompt, claimed and sent at NOW, rebuilt from those events."""
    return given(prompt, lambda p: p.claim_sending("h", NOW), lambda p: p.mark_sent("m", NOW))


def new_prompt(reminder: int | None = 20) -> Prompt:
    return support_prompt(NOW, reminder)


def test_created_campaign_is_a_draft_with_canonical_settings() -> None:
    campaign = new_campaign()
    assert campaign.status == "draft"
    assert campaign.settings["questionnaire"]["questions"][0]["required"] is True
    assert names(campaign) == ["Created"]


def test_editing_the_questionnaire_bumps_its_version() -> None:
    campaign = given(new_campaign())
    questions = campaign.questionnaire["questions"][:1]
    campaign.update({"questionnaire": {"questions": questions}}, NOW)
    campaign.update({"name": "Same questions, new name"}, NOW)
    assert campaign.questionnaire_version == 2
    assert names(campaign) == ["Updated", "Updated"]


def test_an_edit_that_changes_nothing_records_nothing() -> None:
    campaign = given(new_campaign())
    campaign.update({"name": campaign.settings["name"]}, NOW)
    assert names(campaign) == []


def test_a_launched_campaign_cannot_be_edited() -> None:
    campaign = given(new_campaign(), lambda c: c.launch(NOW))
    with pytest.raises(CampaignStateConflict):
        campaign.update({"name": "new"}, NOW)


def test_a_campaign_that_already_ended_cannot_launch() -> None:
    campaign = new_campaign(end_date=NOW.date().isoformat())
    with pytest.raises(CampaignStateConflict):
        campaign.launch(NOW + timedelta(days=2))


@pytest.mark.parametrize(
    "override",
    [
        {"end_date": "2026-06-01"},
        {"expiry_minutes": 0},
        {"timezone": "Mars/Olympus"},
        {"reminder_after_minutes": 90},
        {"name": ""},
    ],
)
def test_bad_campaign_settings_are_refused(override: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput):
        new_campaign(**override)


def test_enrollment_records_each_day_once_with_its_seed() -> None:
    enrollment = given(new_enrollment(NOW))
    first = enrollment.record_day(date(2026, 6, 10), 42, [NOW + timedelta(hours=1)], NOW)
    again = enrollment.record_day(date(2026, 6, 10), 43, [NOW + timedelta(hours=2)], NOW)
    events = enrollment.collect_events()
    assert len(first) == 1 and again == []
    assert [e.seed for e in events] == [42]  # type: ignore[attr-defined]
    enrollment.withdraw(NOW)
    with pytest.raises(EnrollmentWithdrawn):
        enrollment.record_day(date(2026, 6, 11), 1, [], NOW)


def test_a_prompt_is_claimed_once_until_its_lease_runs_out() -> None:
    prompt = new_prompt()
    assert not prompt.can_claim(NOW - timedelta(seconds=1))
    prompt.claim_sending("hash-1", NOW)
    assert not prompt.can_claim(NOW + timedelta(minutes=1))
    with pytest.raises(Conflict):
        prompt.claim_sending("hash-2", NOW + timedelta(minutes=1))
    prompt.claim_sending("hash-2", NOW + timedelta(minutes=6))
    assert prompt.attempts == 2 and prompt.token_hashes == ["hash-1", "hash-2"]


def test_a_sent_prompt_is_answered_once() -> None:
    prompt = sent(new_prompt())
    prompt.answer({"mood": 3}, 1, NOW + timedelta(minutes=5))
    with pytest.raises(AlreadyAnswered):
        prompt.answer({"mood": 3}, 1, NOW + timedelta(minutes=6))
    answered = [e for e in prompt.collect_events() if isinstance(e, Prompt.Answered)]
    assert answered[0].latency_seconds == 300


def test_a_prompt_past_its_deadline_is_gone_and_expires_not_opened() -> None:
    prompt = sent(new_prompt())
    late = NOW + timedelta(minutes=61)
    with pytest.raises(PromptExpired):
        prompt.answer({}, 1, late)
    prompt.expire(late)
    assert prompt.status == "expired"
    assert [e for e in prompt.collect_events()][-1].reason == "not_opened"  # type: ignore[attr-defined]


def test_a_reminder_is_due_once_for_an_unopened_prompt() -> None:
    prompt = sent(new_prompt(reminder=20))
    assert not prompt.needs_reminder(NOW + timedelta(minutes=19))
    assert prompt.needs_reminder(NOW + timedelta(minutes=20))
    prompt.claim_reminder("h2", NOW + timedelta(minutes=20))
    assert not prompt.needs_reminder(NOW + timedelta(minutes=21))


def test_a_temporary_send_failure_makes_the_prompt_due_again() -> None:
    prompt = new_prompt()
    prompt.claim_sending("h", NOW)
    prompt.fail_sending("429", permanent=False, at=NOW)
    assert prompt.status == "scheduled" and prompt.can_claim(NOW)
    prompt.claim_sending("h2", NOW)
    prompt.fail_sending("bad address", permanent=True, at=NOW)
    assert prompt.status == "cancelled"


def test_delivery_events_are_recorded_once() -> None:
    prompt = new_prompt()
    assert prompt.record_delivery(DeliveryOutcome.DELIVERED, "m1", NOW)
    assert not prompt.record_delivery(DeliveryOutcome.DELIVERED, "m1", NOW)
    assert prompt.record_delivery(DeliveryOutcome.BOUNCED, "m1", NOW + timedelta(seconds=1))


QUESTIONNAIRE = normalise_questionnaire(definition(NOW.date())["questionnaire"])


@pytest.mark.parametrize(
    ("question", "name"),
    [
        ({"id": "1x", "type": "text", "text": "t"}, "question #1"),
        ({"id": "q", "type": "essay", "text": "t"}, "'q'"),
        ({"id": "q", "type": "likert", "text": "t", "points": 1}, "'q'"),
        ({"id": "q", "type": "likert", "text": "t", "points": 5, "labels": ["a", "b", "c"]}, "'q'"),
        ({"id": "q", "type": "single_choice", "text": "t", "options": ["a"]}, "'q'"),
        ({"id": "q", "type": "multi_choice", "text": "t", "options": ["a", "a"]}, "'q'"),
        ({"id": "q", "type": "slider", "text": "t", "min": 5, "max": 1}, "'q'"),
        ({"id": "q", "type": "text", "text": "t", "max_length": 0}, "'q'"),
        ({"id": "q", "type": "number", "text": "t", "min": 3, "max": 2}, "'q'"),
        ({"id": "q", "type": "number", "text": ""}, "'q'"),
    ],
)
def test_bad_questions_are_refused_by_name(question: dict[str, Any], name: str) -> None:
    with pytest.raises(InvalidQuestionnaire, match=name):
        normalise_questionnaire({"questions": [question]})


def test_duplicate_question_ids_are_refused() -> None:
    question = {"id": "q", "type": "text", "text": "t"}
    with pytest.raises(InvalidQuestionnaire, match="twice"):
        normalise_questionnaire({"questions": [question, question]})


def test_valid_answers_are_kept_and_optional_ones_may_be_missing() -> None:
    answers = validate_answers(QUESTIONNAIRE, VALID_ANSWERS)
    assert answers == VALID_ANSWERS
    with pytest.raises(InvalidAnswer) as failure:
        validate_answers(QUESTIONNAIRE, {**VALID_ANSWERS, "mood": True})
    assert failure.value.question_id == "mood"


def test_form_fields_are_coerced_to_typed_answers() -> None:
    form = {
        "mood": ["4"],
        "energy": ["55"],
        "company": ["alone"],
        "activities": ["rest", "work"],
        "sleep": ["7.5"],
        "_nonce": ["x"],
    }
    answers = validate_answers(QUESTIONNAIRE, coerce_form(QUESTIONNAIRE, form))
    assert answers == {
        "mood": 4,
        "energy": 55,
        "company": "alone",
        "activities": ["work", "rest"],
        "sleep": 7.5,
    }
    with pytest.raises(InvalidAnswer, match="'sleep'"):
        coerce_form(QUESTIONNAIRE, {"sleep": ["lots"]})


def test_opening_gives_at_least_the_completion_window_and_never_shortens_the_link() -> None:
    early, late = new_prompt(), new_prompt()
    for prompt in (early, late):
        prompt.claim_sending("h", NOW)
        prompt.mark_sent("m", NOW)
    early.open(NOW + timedelta(minutes=1))  # a mail scanner, say
    assert early.deadline == NOW + timedelta(minutes=60)
    late.open(NOW + timedelta(minutes=55))
    assert late.deadline == NOW + timedelta(minutes=70)
    late.answer({"mood": 2}, 1, NOW + timedelta(minutes=69))
    assert late.status == "answered"


def test_an_unset_slider_is_no_answer_never_its_midpoint() -> None:
    """Regression (#14 item 6): an empty slider field is "not answered" — required, it is an
    error naming the slider; optional, the answer is absent (not 50)."""
    form = {"mood": ["4"], "energy": [""], "company": ["alone"], "sleep": ["7"]}
    with pytest.raises(InvalidAnswer) as failure:
        coerce_form(QUESTIONNAIRE, form)
    assert failure.value.problems == [("energy", "an answer is required")]
    optional = {
        "questions": [
            {**q, "required": False} if q["id"] == "energy" else q
            for q in QUESTIONNAIRE["questions"]
        ]
    }
    answers = validate_answers(optional, coerce_form(optional, form))
    assert "energy" not in answers
