"""Celery settings the outbox relies on, and bounded retries ending in a dead letter."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import uuid4

import pytest

from infrastructure.bootstrap import Container, celery
from infrastructure.celery_app import celery_app
from infrastructure.settings import Settings
from interfaces.tasks.base import KairosTask, TransientTaskError
from interfaces.tasks.schedule import beat_schedule
from tests.support import tasks as test_tasks
from tests.support.isolated import isolated_container
from tests.support.polling import eventually
from tests.support.worker import running_worker


@pytest.fixture
def system(settings: Settings) -> Iterator[Container]:
    with isolated_container(settings) as container:
        yield container


def test_celery_acks_late_redelivers_on_worker_loss_and_prefetches_one(
    settings: Settings,
) -> None:
    conf = celery(settings, beat_schedule(settings.beat_interval_seconds)).conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_default_queue == settings.celery_queue
    assert conf.task_serializer == "json"
    assert not conf.beat_schedule or all(
        "countdown" not in entry.get("options", {}) for entry in conf.beat_schedule.values()
    )


def test_every_registered_task_retries_transient_errors_a_bounded_number_of_times(
    settings: Settings,
) -> None:
    celery(settings)
    celery_app.loader.import_default_modules()
    ours = {n: t for n, t in celery_app.tasks.items() if not n.startswith("celery.")}
    assert "identity.send_welcome_email" in ours
    for name, task in ours.items():
        assert isinstance(task, KairosTask), name
        assert TransientTaskError in task.autoretry_for, name
        assert task.max_retries is not None and task.max_retries <= 10, name
        assert task.retry_backoff and task.retry_jitter is not None, name
        assert task.acks_late and task.reject_on_worker_lost, name


def test_a_task_that_keeps_failing_transiently_ends_as_one_dead_letter(
    system: Container,
) -> None:
    task_id = f"tests:{uuid4().hex}"
    with running_worker(system) as publisher:
        publisher.publish("tests.always_transient", {"event_id": "identity:1"}, task_id)
        rows = eventually(
            lambda: system.database.fetch_all(
                "SELECT task_name, kwargs, error, attempts FROM app.dead_letters"
                " WHERE task_id = %s",
                (task_id,),
            ),
            timeout=30,
            message="the dead letter",
        )

    assert test_tasks.calls[task_id] == 3  # the first run and max_retries=2 retries
    assert len(rows) == 1
    assert rows[0]["task_name"] == "tests.always_transient"
    assert rows[0]["attempts"] == 3
    assert rows[0]["kwargs"] == {"event_id": "identity:1"}
    assert "upstream still unavailable" in rows[0]["error"]
