"""Up to three reminders at chosen offsets, validated when defined; campaigns that complete
themselves once their end date has ended in every participant's zone; and the events stored
before either existed, upcast when read (never rewritten)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.application import Application
from eventsourcing.domain import DomainEvent
from eventsourcing.persistence import StoredEvent

from domain.esm.campaign import Campaign, CampaignNotOver, CampaignStateConflict
from domain.esm.prompt import NoReminderDue, Prompt
from domain.esm.quality import DEFAULT_QUALITY
from domain.shared.errors import InvalidInput
from tests.support.decider import given, given_history, then_events
from tests.support.decider import then as names
from tests.support.esm import definition

NOW = datetime(2026, 6, 10, 8, 0, tzinfo=UTC)
THREE = [{"after_minutes": 10}, {"after_minutes": 25}, {"after_minutes": 45}]


def new_campaign(**overrides: Any) -> Campaign:
    return Campaign.create(uuid4(), uuid4(), definition(NOW.date(), **overrides), NOW)


def sent_prompt(offsets: list[int]) -> Prompt:
    prompt = Prompt.schedule(
        prompt_id=uuid4(),
        campaign_id=uuid4(),
        enrollment_id=uuid4(),
        day=NOW.date().isoformat(),
        sequence=0,
        scheduled_at=NOW,
        expiry_minutes=60,
        completion_minutes=15,
        reminders_after_minutes=offsets,
    )
    return given(prompt, lambda p: p.claim_sending("h", NOW), lambda p: p.mark_sent("m", NOW))


def minutes(n: float) -> datetime:
    return NOW + timedelta(minutes=n)


# -- defining reminders ----------------------------------------------------------------
def test_up_to_three_reminders_are_kept_rising_and_the_first_is_the_older_field() -> None:
    campaign = new_campaign(reminder_after_minutes=None, reminders=THREE)
    assert campaign.settings["reminders"] == THREE
    assert campaign.settings["reminder_after_minutes"] == 10
    assert campaign.reminder_offsets == [10, 25, 45]


def test_the_older_single_reminder_means_a_list_of_one() -> None:
    campaign = new_campaign(reminder_after_minutes=20)
    assert campaign.settings["reminders"] == [{"after_minutes": 20}]
    assert new_campaign(reminder_after_minutes=None).settings["reminders"] == []


@pytest.mark.parametrize(
    ("reminders", "message"),
    [
        ([*THREE, {"after_minutes": 50}], "at most 3"),
        ([{"after_minutes": 60}], "reminder 1: after_minutes (60) must be less than expiry"),
        ([{"after_minutes": 30}, {"after_minutes": 30}], "reminder 2: after_minutes (30) must"),
        ([{"after_minutes": 30}, {"after_minutes": 20}], "later than reminder 1's (30)"),
        ([{"after_minutes": 0}], "reminder 1: after_minutes must be an integer from 1"),
        ([{"after_minutes": "10"}], "must be an integer"),
        ([{"after": 10}], "reminder 1: must be an object"),
        ("10", "must be a list"),
    ],
)
def test_impossible_reminders_are_refused_with_a_message(reminders: Any, message: str) -> None:
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(").replace(")", r"\)")):
        new_campaign(reminder_after_minutes=None, reminders=reminders)


def test_both_fields_must_agree_when_both_are_given() -> None:
    with pytest.raises(InvalidInput, match="not both"):
        new_campaign(reminder_after_minutes=20, reminders=THREE)
    assert new_campaign(reminder_after_minutes=10, reminders=THREE).reminder_offsets == [10, 25, 45]


def test_an_edit_of_either_field_replaces_the_other() -> None:
    campaign = given(new_campaign(reminder_after_minutes=20))
    campaign.update({"reminders": THREE}, NOW)
    assert campaign.reminder_offsets == [10, 25, 45]
    assert campaign.settings["reminder_after_minutes"] == 10
    campaign.update({"reminder_after_minutes": 30}, NOW)
    assert campaign.reminder_offsets == [30]
    campaign.update({"reminders": []}, NOW)
    assert campaign.settings["reminder_after_minutes"] is None
    changes = [e.changes for e in then_events(campaign)]  # type: ignore[attr-defined]
    assert changes[0] == {"reminder_after_minutes": 10, "reminders": THREE}


# -- sending them ----------------------------------------------------------------------
def test_each_reminder_falls_due_at_its_offset_once() -> None:
    prompt = sent_prompt([10, 25, 45])
    assert prompt.reminder_due(minutes(9)) is None
    for number, offset in enumerate([10, 25, 45], start=1):
        assert prompt.reminder_due(minutes(offset)) == number
        prompt.claim_reminder(f"r{number}", minutes(offset))
        assert prompt.reminder_due(minutes(offset + 1)) is None
    claimed = then_events(prompt)
    assert [e.number for e in claimed] == [1, 2, 3]  # type: ignore[attr-defined]
    assert [e.next_due_at for e in claimed] == [minutes(25), minutes(45), None]  # type: ignore[attr-defined]
    with pytest.raises(NoReminderDue):
        prompt.claim_reminder("r4", minutes(50))


def test_a_late_dispatcher_sends_the_latest_due_reminder_only() -> None:
    prompt = sent_prompt([10, 25, 45])
    prompt.claim_reminder("r", minutes(30))  # the system was down from 9 to 30 minutes
    (claimed,) = then_events(prompt)
    assert (claimed.number, claimed.next_due_at) == (2, minutes(45))  # type: ignore[attr-defined]
    assert prompt.reminder_due(minutes(44)) is None and prompt.reminder_due(minutes(45)) == 3


def test_no_reminder_once_the_link_was_opened_or_closed() -> None:
    opened = sent_prompt([10, 25])
    opened.open(minutes(5))
    assert opened.reminder_due(minutes(30)) is None
    assert sent_prompt([10, 25]).reminder_due(minutes(60)) is None  # at the deadline


def test_the_reminders_replay_to_the_same_state() -> None:
    prompt = Prompt.schedule(
        prompt_id=uuid4(),
        campaign_id=uuid4(),
        enrollment_id=uuid4(),
        day=NOW.date().isoformat(),
        sequence=0,
        scheduled_at=NOW,
        expiry_minutes=60,
        completion_minutes=15,
        reminders_after_minutes=[10, 25],
    )
    replayed, history = given_history(
        prompt,
        lambda p: p.claim_sending("h", NOW),
        lambda p: p.mark_sent("m", NOW),
        lambda p: p.claim_reminder("r1", minutes(10)),
    )
    assert replayed.reminders_claimed == 1 and replayed.reminded
    assert replayed.reminder_due(minutes(25)) == 2
    assert "r1" in replayed.token_hashes and len(history) == 4


# -- completing after the end date -----------------------------------------------------
def test_a_campaign_completes_itself_once_its_end_date_ended_in_every_zone() -> None:
    campaign = given(new_campaign(end_date="2026-06-12"), lambda c: c.launch(NOW))
    warsaw_end = datetime(2026, 6, 12, 22, 0, tzinfo=UTC)  # midnight in Warsaw (UTC+2)
    la_end = datetime(2026, 6, 13, 7, 0, tzinfo=UTC)  # midnight in Los Angeles (UTC-7)
    assert campaign.ends_at([]) == warsaw_end
    assert campaign.ends_at(["America/Los_Angeles"]) == la_end
    assert not campaign.is_over(["America/Los_Angeles"], warsaw_end)
    with pytest.raises(CampaignNotOver, match="has not ended everywhere"):
        campaign.complete_after_end(["America/Los_Angeles"], la_end - timedelta(seconds=1))
    campaign.complete_after_end(["America/Los_Angeles"], la_end)
    (completed,) = then_events(campaign)
    assert completed.by == "end_date"  # type: ignore[attr-defined]
    assert campaign.status == "completed" and campaign.completed_by == "end_date"


def test_a_paused_campaign_completes_too_but_a_draft_or_completed_one_does_not() -> None:
    after = datetime(2026, 7, 1, tzinfo=UTC)
    paused = given(new_campaign(), lambda c: c.launch(NOW), lambda c: c.pause(NOW))
    assert paused.is_over([], after)
    paused.complete_after_end([], after)
    assert names(paused) == ["Completed"]
    assert not paused.is_over([], after)
    with pytest.raises(CampaignStateConflict):
        paused.complete_after_end([], after)
    draft = given(new_campaign())
    assert not draft.is_over([], after)
    with pytest.raises(CampaignStateConflict):
        draft.complete_after_end([], after)


def test_a_researcher_completion_says_so() -> None:
    campaign = given(new_campaign(), lambda c: c.launch(NOW), lambda c: c.complete(NOW))
    assert campaign.completed_by == "researcher"


# -- events stored before these existed ------------------------------------------------
def store_as_version_1(app: Application[UUID], events: list[DomainEvent], drop: set[str]) -> None:
    """Stores `events` as version 1 of the code wrote them: without the fields `drop`
    names, and without a class_version (version 1 is implicit)."""
    rows = []
    for domain_event in events:
        stored = app.mapper.to_stored_event(domain_event)
        state = app.mapper.transcoder.decode(stored.state)
        settings = state.get("settings") or state.get("changes") or {}
        for name in drop:
            state.pop(name, None)
            settings.pop(name, None)
        state.pop("class_version", None)
        rows.append(
            StoredEvent(
                originator_id=stored.originator_id,
                originator_version=stored.originator_version,
                topic=stored.topic,
                state=app.mapper.transcoder.encode(state),
            )
        )
    app.recorder.insert_events(rows)


def test_version_1_campaigns_and_prompts_are_upcast_when_read() -> None:
    app: Application[UUID] = Application(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    campaign = new_campaign(reminder_after_minutes=20)
    campaign.launch(NOW)
    campaign.complete(NOW)
    store_as_version_1(app, list(campaign.collect_events()), {"reminders", "by", "quality"})
    prompt = Prompt.schedule(
        prompt_id=uuid4(),
        campaign_id=campaign.id,
        enrollment_id=uuid4(),
        day="2026-06-10",
        sequence=0,
        scheduled_at=NOW,
        expiry_minutes=60,
        completion_minutes=15,
        reminder_after_minutes=20,
    )
    prompt.claim_sending("h", NOW)
    prompt.mark_sent("m", NOW)
    prompt.claim_reminder("r", minutes(20))
    drop = {"reminders_after_minutes", "number", "next_due_at"}
    store_as_version_1(app, list(prompt.collect_events()), drop)

    read = app.repository.get(campaign.id)
    assert read.settings["reminders"] == [{"after_minutes": 20}]
    assert read.quality_rules == DEFAULT_QUALITY  # version 2 knew no quality rules either
    assert (read.status, read.completed_by) == ("completed", "researcher")
    read_prompt = app.repository.get(prompt.id)
    assert read_prompt.reminders_after_minutes == [20]
    assert read_prompt.reminders_claimed == 1 and read_prompt.reminder_due(minutes(30)) is None
    claimed = list(app.events.get(prompt.id))[-1]
    assert (claimed.number, claimed.next_due_at) == (1, None)  # type: ignore[attr-defined]
