"""The outbox relay against real PostgreSQL, Redis and a real Celery worker: every matching
event's task is delivered at least once, and a task delivered twice has one effect."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import pytest
from celery.signals import task_postrun

from infrastructure.bootstrap import Container
from infrastructure.relay import Relay, TaskPublisher, task_id_for
from infrastructure.settings import Settings
from tests.support.isolated import isolated_container
from tests.support.mailer import RecordingMailer
from tests.support.polling import eventually
from tests.support.system import running_relay
from tests.support.worker import running_worker

WELCOME = "identity.send_welcome_email"


@pytest.fixture
def system(settings: Settings) -> Iterator[Container]:
    with isolated_container(settings) as container:
        container.mailer = RecordingMailer()
        yield container


@pytest.fixture
def runs() -> Iterator[Counter[str]]:
    """How many times each task id finished running in the worker."""
    counted: Counter[str] = Counter()

    def count(sender: Any = None, task_id: str = "", **_: Any) -> None:
        counted[task_id] += 1

    task_postrun.connect(count, weak=False)
    try:
        yield counted
    finally:
        task_postrun.disconnect(count)


class SimulatedCrash(Exception):
    pass


class CrashAfterPublishing:
    """Publishes for real, then dies before the relay can record its position."""

    def __init__(self, publisher: TaskPublisher, after: int) -> None:
        self.publisher = publisher
        self.remaining = after

    def publish(self, task: str, kwargs: dict[str, Any], task_id: str) -> None:
        self.publisher.publish(task, kwargs, task_id)
        self.remaining -= 1
        if self.remaining == 0:
            raise SimulatedCrash


def _emails(n: int) -> list[str]:
    return [f"welcome-{uuid4().hex[:10]}@example.com" for _ in range(n)]


def relay_position(system: Container) -> int:
    row = system.database.fetch_one(
        "SELECT position FROM app.relay_positions WHERE application = 'identity'"
    )
    return int(row["position"]) if row else 0


def test_relay_delivers_a_welcome_email_for_every_registered_account(
    system: Container, runs: Counter[str]
) -> None:
    mailer: RecordingMailer = system.mailer  # type: ignore[assignment]
    emails = _emails(5)
    with running_worker(system) as publisher, running_relay(system, publisher):
        for email in emails:
            system.identity.register(email, "correct horse battery")
        eventually(lambda: len(mailer.sent) >= 5, timeout=30, message="5 welcome emails")
        head = system.identity.recorder.max_notification_id()
        eventually(lambda: relay_position(system) == head, timeout=10, message="relay at head")

    assert sorted(m.to for m in mailer.sent) == sorted(emails)
    assert {m.subject for m in mailer.sent} == {"Welcome to Kairos"}
    claimed = system.database.fetch_all("SELECT effect_key, task_id FROM app.task_effects")
    assert len(claimed) == 5
    assert all(row["task_id"].startswith("identity:") for row in claimed)


def test_a_relay_crash_before_recording_its_position_republishes_and_still_sends_once(
    system: Container, runs: Counter[str]
) -> None:
    mailer: RecordingMailer = system.mailer  # type: ignore[assignment]
    emails = _emails(3)
    positions = [system.identity.register(email, "correct horse battery")[1] for email in emails]
    task_ids = {task_id_for("identity", p, WELCOME) for p in positions}

    with running_worker(system) as publisher:
        crashing = Relay(
            system.database,
            system.applications,
            system.outbox_rules(),
            CrashAfterPublishing(publisher, after=3),
        )
        with pytest.raises(SimulatedCrash):
            crashing.catch_up()
        assert crashing.position("identity") == 0  # published everything, recorded nothing

        restarted = Relay(system.database, system.applications, system.outbox_rules(), publisher)
        restarted.catch_up()
        assert restarted.position("identity") == max(positions)
        eventually(
            lambda: all(runs[t] >= 2 for t in task_ids),
            timeout=30,
            message="every task delivered twice",
        )

    assert sorted(m.to for m in mailer.sent) == sorted(emails)  # one email each


def test_a_task_replayed_twice_has_one_effect(system: Container, runs: Counter[str]) -> None:
    mailer: RecordingMailer = system.mailer  # type: ignore[assignment]
    (email,) = _emails(1)
    account_id, position = system.identity.register(email, "correct horse battery")
    task_id = task_id_for("identity", position, WELCOME)
    kwargs = {"account_id": str(account_id), "event_id": f"identity:{position}"}
    with running_worker(system) as publisher:
        publisher.publish(WELCOME, dict(kwargs), task_id)
        publisher.publish(WELCOME, dict(kwargs), task_id)
        eventually(lambda: runs[task_id] >= 2, timeout=30, message="both deliveries ran")

    assert [m.to for m in mailer.sent] == [email]


def test_a_temporarily_failing_mailer_is_retried_until_the_email_goes_out(
    system: Container, runs: Counter[str]
) -> None:
    mailer: RecordingMailer = system.mailer  # type: ignore[assignment]
    mailer.fail_next = 1
    (email,) = _emails(1)
    account_id, position = system.identity.register(email, "correct horse battery")
    with running_worker(system) as publisher:
        publisher.publish(
            WELCOME,
            {"account_id": str(account_id), "event_id": f"identity:{position}"},
            task_id_for("identity", position, WELCOME),
        )
        eventually(lambda: mailer.to(email), timeout=30, message="email sent after a retry")

    assert mailer.fail_next == 0
    assert len(mailer.to(email)) == 1
    assert system.database.fetch_all("SELECT 1 FROM app.dead_letters") == []
