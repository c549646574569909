"""ESMpress tasks. Time is driven by beat ticks that read what is due from the read models;
nothing is scheduled with ETA/countdown. Every task is idempotent: sending is claimed on the
Prompt aggregate with optimistic concurrency before the email leaves, so a tick that runs
twice or a redelivered task finds the claim and does nothing."""

from __future__ import annotations

import logging
from typing import Any
from uuid import UUID

import redis

from application.shared.ports import MailTemporarilyUnavailable
from infrastructure.celery_app import celery_app
from interfaces.tasks.base import KairosTask, TransientTaskError
from interfaces.tasks.runtime import container

log = logging.getLogger("kairos.esm")


PUBLISH_GUARD_SECONDS = 60


def _first_publish(task: str, prompt_id: UUID) -> bool:
    """True once a minute per prompt and task: while a backlog drains, the next ticks do not
    queue the same send again (correctness never depends on this: the claim does)."""
    settings = container().settings
    client = container().redis()
    if client is None:
        return True
    key = f"kairos:{settings.celery_queue}:published:{task}:{prompt_id}"
    try:
        return bool(client.set(key, b"1", nx=True, ex=PUBLISH_GUARD_SECONDS))
    except redis.RedisError:
        return True


def _publish(task: str, prompt_id: UUID) -> bool:
    if not _first_publish(task, prompt_id):
        return False
    celery_app.send_task(
        task,
        kwargs={"prompt_id": str(prompt_id)},
        task_id=f"{task}:{prompt_id}",
        queue=container().settings.celery_queue,
    )
    return True


@celery_app.task(base=KairosTask, name="esm.plan_tick")
def plan_tick(**_: Any) -> int:
    """Plans the upcoming days of every active participant whose plan falls short."""
    return container().esm.plan_upcoming()


@celery_app.task(base=KairosTask, name="esm.plan_campaign")
def plan_campaign(campaign_id: str, event_id: str = "", **_: Any) -> int:
    """Outbox task on launch and resume: plans the campaign's participants at once. It reads
    the participants from the read model, so it first waits for the projection to have seen
    the launch (the relay may publish before the projector has applied it)."""
    c = container()
    application, _sep, position = event_id.partition(":")
    if position.isdigit() and not c.database.wait_for("esm", application, int(position), 10):
        raise TransientTaskError("the esm read model has not caught up with the launch yet")
    return c.esm.plan_upcoming(UUID(campaign_id))


@celery_app.task(base=KairosTask, name="esm.dispatch_tick")
def dispatch_tick(**_: Any) -> int:
    """Publishes one send task per due prompt and per due reminder."""
    esm = container().esm
    published = 0
    for prompt_id in esm.due_prompt_ids():
        published += _publish("esm.send_prompt", prompt_id)
    for prompt_id in esm.due_reminder_ids():
        published += _publish("esm.send_reminder", prompt_id)
    return published


@celery_app.task(base=KairosTask, name="esm.send_prompt")
def send_prompt(prompt_id: str, **_: Any) -> str:
    c = container()
    try:
        return c.esm.send_prompt(UUID(prompt_id), c.mailer, c.settings.public_url)
    except MailTemporarilyUnavailable as error:
        raise TransientTaskError(str(error)) from error


@celery_app.task(base=KairosTask, name="esm.send_reminder")
def send_reminder(prompt_id: str, **_: Any) -> str:
    c = container()
    return c.esm.send_reminder(UUID(prompt_id), c.mailer, c.settings.public_url)


@celery_app.task(base=KairosTask, name="esm.send_confirmation")
def send_confirmation(enrollment_id: str, request: int, **_: Any) -> str:
    """Outbox task on `Enrollment.ConfirmationRequested`: the double opt-in email."""
    c = container()
    try:
        return c.esm.send_confirmation(
            UUID(enrollment_id), int(request), c.mailer, c.settings.public_url
        )
    except MailTemporarilyUnavailable as error:
        raise TransientTaskError(str(error)) from error


@celery_app.task(base=KairosTask, name="esm.expire_tick")
def expire_tick(**_: Any) -> int:
    """Expires links whose deadline has passed (answered or racing prompts are skipped)."""
    esm = container().esm
    expired = 0
    for prompt_id in esm.overdue_prompt_ids():
        if esm.expire_prompt(prompt_id) == "expired":
            expired += 1
    return expired


@celery_app.task(base=KairosTask, name="esm.complete_tick")
def complete_tick(**_: Any) -> int:
    """Completes the campaigns whose end date has ended in every participant's zone."""
    esm = container().esm
    return sum(
        esm.complete_ended_campaign(campaign_id) == "completed"
        for campaign_id in esm.ended_campaign_ids()
    )


def beat_entries(interval: float) -> dict[str, dict[str, Any]]:
    return {
        "esm-plan": {"task": "esm.plan_tick", "schedule": max(interval * 6, 30.0)},
        "esm-complete": {"task": "esm.complete_tick", "schedule": max(interval * 6, 30.0)},
        "esm-dispatch": {"task": "esm.dispatch_tick", "schedule": interval},
        "esm-expire": {"task": "esm.expire_tick", "schedule": interval},
    }
