"""A prompt is emailed once: under duplicate ticks, concurrent deliveries of the send task,
and a worker that dies mid-task. Reminders, pauses and provider failures."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from celery.signals import task_postrun

from application.shared.ports import MailTemporarilyUnavailable
from domain.esm.delivery import DeliveryOutcome
from infrastructure.bootstrap import Container
from infrastructure.celery_app import celery_app
from tests.support.esm import (
    VALID_ANSWERS,
    FakeClock,
    controlled,
    launched_campaign,
    token_from,
    wait_read,
)
from tests.support.mailer import RecordingMailer
from tests.support.polling import eventually
from tests.support.system import running_projector
from tests.support.worker import running_worker

START = datetime(2026, 6, 10, 5, 0, tzinfo=UTC)


class WorkerKilled(BaseException):
    """Stands in for the process dying: nothing after the raise runs."""


@pytest.fixture
def env(container: Container) -> Iterator[tuple[Container, FakeClock, RecordingMailer]]:
    clock = FakeClock(START)
    with controlled(container, clock) as mailer, running_projector(container):
        yield container, clock, mailer


def enroll_many(container: Container, clock: FakeClock, count: int) -> tuple[UUID, list[str]]:
    campaign_id = launched_campaign(container, clock)
    owner = container.esm.campaign_for(None, campaign_id).owner_id
    emails = [f"p-{uuid4().hex[:10]}@example.com" for _ in range(count)]
    position = 0
    for email in emails:
        _, position = container.esm.enroll(owner, campaign_id, email)
    wait_read(container, position)
    return campaign_id, emails


def first_prompts(container: Container, campaign_id: UUID) -> list[dict[str, Any]]:
    return container.database.fetch_all(
        "SELECT DISTINCT ON (participant_id) id, scheduled_at, status FROM read.esm_prompts"
        " WHERE campaign_id = %s ORDER BY participant_id, scheduled_at",
        (campaign_id,),
    )


def statuses(container: Container, ids: list[UUID]) -> set[str]:
    return {container.esm.get_or_none(i).status for i in ids}  # type: ignore[union-attr]


def test_duplicate_ticks_through_a_real_worker_email_each_prompt_once(env) -> None:  # type: ignore[no-untyped-def]
    container, clock, mailer = env
    campaign_id, emails = enroll_many(container, clock, 3)
    prompts = first_prompts(container, campaign_id)
    clock.set(max(p["scheduled_at"] for p in prompts))
    ids = [p["id"] for p in prompts]
    finished: set[str] = set()

    def record(task_id: str, **_: Any) -> None:
        finished.add(task_id)

    task_postrun.connect(record, weak=False)
    try:
        with running_worker(container):
            for _ in range(3):
                celery_app.send_task(
                    "esm.dispatch_tick", kwargs={}, queue=container.settings.celery_queue
                )
            eventually(lambda: statuses(container, ids) == {"sent"}, 20.0)
            wait_read(container, container.esm.recorder.max_notification_id() or 0)
            celery_app.send_task(
                "esm.dispatch_tick", kwargs={}, queue=container.settings.celery_queue
            )
            for prompt_id in ids:  # the send task itself delivered twice more
                for _ in range(2):
                    celery_app.send_task(
                        "esm.send_prompt",
                        kwargs={"prompt_id": str(prompt_id)},
                        queue=container.settings.celery_queue,
                    )
            # the solo worker runs its queue in order: once this ping ran, so did the duplicates
            ping = celery_app.send_task("ops.ping", queue=container.settings.celery_queue)
            eventually(lambda: ping.id in finished, 20)
    finally:
        task_postrun.disconnect(record)
    for email in emails:
        mails = mailer.to(email)
        assert len(mails) == 1, [m.subject for m in mails]
        assert mails[0].custom_args["prompt_id"] in {str(i) for i in ids}


def test_concurrent_deliveries_of_one_send_race_and_only_one_emails(env) -> None:  # type: ignore[no-untyped-def]
    container, clock, _ = env
    campaign_id, emails = enroll_many(container, clock, 1)
    prompt = first_prompts(container, campaign_id)[0]
    clock.set(prompt["scheduled_at"])
    gate = threading.Barrier(4)

    class SlowMailer(RecordingMailer):
        def send(self, **kwargs: Any) -> str:
            time.sleep(0.2)
            return super().send(**kwargs)

    slow = SlowMailer()
    outcomes: list[str] = []

    def deliver() -> None:
        gate.wait()
        outcomes.append(container.esm.send_prompt(prompt["id"], slow, "http://testserver"))

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["sent", "skipped", "skipped", "skipped"]
    assert len(slow.to(emails[0])) == 1


def test_a_worker_killed_after_claiming_sends_once_when_the_lease_runs_out(env) -> None:  # type: ignore[no-untyped-def]
    container, clock, mailer = env
    campaign_id, emails = enroll_many(container, clock, 1)
    prompt = first_prompts(container, campaign_id)[0]
    clock.set(prompt["scheduled_at"])

    class DyingMailer(RecordingMailer):
        def send(self, **kwargs: Any) -> str:
            raise WorkerKilled

    with pytest.raises(WorkerKilled):
        container.esm.send_prompt(prompt["id"], DyingMailer(), "http://testserver")
    wait_read(container, container.esm.recorder.max_notification_id() or 0)
    # the redelivered task and the next ticks find the claim and leave it alone
    assert container.esm.send_prompt(prompt["id"], mailer, "http://testserver") == "skipped"
    assert prompt["id"] not in container.esm.due_prompt_ids()
    clock.advance(minutes=6)
    assert prompt["id"] in container.esm.due_prompt_ids()
    assert container.esm.send_prompt(prompt["id"], mailer, "http://testserver") == "sent"
    assert container.esm.send_prompt(prompt["id"], mailer, "http://testserver") == "skipped"
    assert len(mailer.to(emails[0])) == 1
    assert container.esm.get_or_none(prompt["id"]).attempts == 2  # type: ignore[union-attr]


def test_a_worker_killed_after_the_provider_accepted_is_not_resent_once_reported(env) -> None:  # type: ignore[no-untyped-def]
    container, clock, mailer = env
    campaign_id, emails = enroll_many(container, clock, 1)
    prompt = first_prompts(container, campaign_id)[0]
    clock.set(prompt["scheduled_at"])

    class AcceptThenDie(RecordingMailer):
        def send(self, **kwargs: Any) -> str:
            mailer.send(**kwargs)
            raise WorkerKilled

    with pytest.raises(WorkerKilled):
        container.esm.send_prompt(prompt["id"], AcceptThenDie(), "http://testserver")
    token = token_from(mailer.to(emails[0])[0].text)
    container.esm.record_email_delivery(prompt["id"], DeliveryOutcome.DELIVERED, clock(), "msg-1")
    container.esm.record_email_delivery(prompt["id"], DeliveryOutcome.DELIVERED, clock(), "msg-1")
    clock.advance(minutes=6)
    assert container.esm.send_prompt(prompt["id"], mailer, "http://testserver") == "skipped"
    assert len(mailer.to(emails[0])) == 1
    assert container.esm.answer(token, VALID_ANSWERS).position > 0
    kinds = [type(e).__name__ for e in container.esm.events.get(prompt["id"])]
    assert kinds.count("DeliveryRecorded") == 1 and "Sent" in kinds


def test_a_provider_hiccup_is_retried_with_a_fresh_claim(env) -> None:  # type: ignore[no-untyped-def]
    container, clock, mailer = env
    campaign_id, emails = enroll_many(container, clock, 1)
    prompt = first_prompts(container, campaign_id)[0]
    clock.set(prompt["scheduled_at"])
    mailer.fail_next = 1
    with pytest.raises(MailTemporarilyUnavailable):
        container.esm.send_prompt(prompt["id"], mailer, "http://testserver")
    assert container.esm.send_prompt(prompt["id"], mailer, "http://testserver") == "sent"
    assert len(mailer.to(emails[0])) == 1


def test_a_reminder_goes_once_to_a_participant_who_did_not_open(env) -> None:  # type: ignore[no-untyped-def]
    container, clock, mailer = env
    campaign_id, emails = enroll_many(container, clock, 1)
    prompt = first_prompts(container, campaign_id)[0]
    clock.set(prompt["scheduled_at"])
    container.esm.send_prompt(prompt["id"], mailer, "http://testserver")
    wait_read(container, container.esm.recorder.max_notification_id() or 0)
    assert prompt["id"] not in container.esm.due_reminder_ids()
    clock.advance(minutes=21)
    assert prompt["id"] in container.esm.due_reminder_ids()
    assert container.esm.send_reminder(prompt["id"], mailer, "http://testserver") == "reminded"
    assert container.esm.send_reminder(prompt["id"], mailer, "http://testserver") == "skipped"
    mails = mailer.to(emails[0])
    assert [m.subject.startswith("Reminder") for m in mails] == [False, True]
    reminder_token = token_from(mails[1].text)
    assert container.esm.answer(reminder_token, VALID_ANSWERS).position > 0


def test_prompts_falling_in_a_pause_are_cancelled_not_sent(env) -> None:  # type: ignore[no-untyped-def]
    container, clock, mailer = env
    campaign_id, emails = enroll_many(container, clock, 1)
    owner = container.esm.campaign_for(None, campaign_id).owner_id
    prompt = first_prompts(container, campaign_id)[0]
    container.esm.pause_campaign(owner, campaign_id)
    clock.set(prompt["scheduled_at"])
    assert container.esm.send_prompt(prompt["id"], mailer, "http://testserver") == "cancelled"
    assert mailer.to(emails[0]) == []
    events = list(container.esm.events.get(prompt["id"]))
    assert events[-1].reason == "campaign paused"  # type: ignore[attr-defined]


def test_a_second_tick_does_not_queue_the_same_sends_again(env) -> None:  # type: ignore[no-untyped-def]
    from interfaces.tasks.esm import dispatch_tick

    container, clock, mailer = env
    campaign_id, emails = enroll_many(container, clock, 2)
    prompts = first_prompts(container, campaign_id)
    clock.set(max(p["scheduled_at"] for p in prompts))
    with running_worker(container):
        assert dispatch_tick.run() >= 2
        assert dispatch_tick.run() == 0
        eventually(lambda: statuses(container, [p["id"] for p in prompts]) == {"sent"}, 20.0)
    assert [len(mailer.to(email)) for email in emails] == [1, 1]


def test_a_prompt_found_due_only_after_its_expiry_is_cancelled_not_sent_late(env) -> None:  # type: ignore[no-untyped-def]
    container, clock, mailer = env
    campaign_id, emails = enroll_many(container, clock, 1)
    prompt = first_prompts(container, campaign_id)[0]
    clock.set(prompt["scheduled_at"] + timedelta(minutes=61))  # expiry is 60 minutes
    assert container.esm.send_prompt(prompt["id"], mailer, "http://testserver") == "cancelled"
    assert mailer.to(emails[0]) == []
