"""Celery tasks and a beat schedule for the fault tests' worker and beat SUBPROCESSES
(`celery -A tests.support.reliability_tasks worker|beat`), configured from the environment
like the product's processes, with a short broker visibility timeout.

Effects follow the product's rule (docs/contributing.md): claim `app.task_effects` in the
same transaction as the effect, so a redelivered task changes nothing the second time.
Every attempt is recorded in `app.fault_attempts` (outside that transaction), so tests can
count executions and measure the delays between retries.
"""

from __future__ import annotations

import os
import time
from typing import Any

from infrastructure import bootstrap
from infrastructure.celery_app import celery_app
from interfaces.tasks import runtime
from interfaces.tasks.base import KairosTask, TransientTaskError
from interfaces.tasks.runtime import container

ENQUEUE_LEASE_SECONDS = 30

settings = bootstrap.explicit_settings()
runtime.configure(settings)
bootstrap.celery(settings)
celery_app.conf.broker_transport_options = {
    "visibility_timeout": float(os.environ.get("KAIROS_TEST_VISIBILITY_TIMEOUT", "6")),
    # kombu sweeps for messages past their visibility timeout every interval x throttle
    # seconds (10 x 10 by default): a running worker would pick up a crashed worker's task
    # only ~100 s after the timeout. Sweep every second here.
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
celery_app.conf.beat_schedule = {
    "reliability-due-tick": {
        "task": "reliability.due_tick",
        "schedule": float(os.environ.get("KAIROS_TEST_BEAT_SECONDS", "0.5")),
        "options": {"queue": settings.celery_queue},
    }
}


def record_attempt(task: str, key: str) -> None:
    container().database.execute(
        "INSERT INTO app.fault_attempts (task, key, pid) VALUES (%s, %s, %s)",
        (task, key, os.getpid()),
    )


def effect_once(effect_key: str, task_id: str, extra_sql: str | None = None) -> bool:
    """The effect and its claim commit together; False when it had already happened."""
    with container().database.pool.connection() as conn, conn.transaction():
        claimed = conn.execute(
            "INSERT INTO app.task_effects (effect_key, task_id) VALUES (%s, %s)"
            " ON CONFLICT DO NOTHING RETURNING 1",
            (effect_key, task_id),
        ).fetchone()
        if not claimed:
            return False
        conn.execute("INSERT INTO app.fault_effects (key) VALUES (%s)", (effect_key,))
        if extra_sql:
            conn.execute(extra_sql, (effect_key.split(":", 1)[1],))
        return True


@celery_app.task(base=KairosTask, name="reliability.slow_effect", bind=True)
def slow_effect(self: KairosTask, key: str, seconds: float, **_: Any) -> bool:
    record_attempt("slow_effect", key)
    time.sleep(seconds)  # the work a SIGKILL interrupts
    return effect_once(f"slow:{key}", self.request.id or "")


@celery_app.task(
    base=KairosTask,
    name="reliability.always_transient",
    bind=True,
    max_retries=3,
    retry_backoff=1,
    retry_backoff_max=3,
    retry_jitter=False,
)
def always_transient(self: KairosTask, key: str, **_: Any) -> None:
    record_attempt("always_transient", key)
    raise TransientTaskError("vendor answered 503")


@celery_app.task(base=KairosTask, name="reliability.due_tick")
def due_tick() -> int:
    """Beat's tick: enqueue what is due and not fired (again only after a lease expires)."""
    rows = container().database.fetch_all(
        "UPDATE app.fault_due SET enqueued_at = now() WHERE due_at <= now()"
        " AND fired_at IS NULL AND (enqueued_at IS NULL"
        " OR enqueued_at < now() - make_interval(secs => %s)) RETURNING id",
        (ENQUEUE_LEASE_SECONDS,),
    )
    for row in rows:
        fire_due.apply_async(kwargs={"due_id": row["id"]}, queue=settings.celery_queue)
    record_attempt("due_tick", str(len(rows)))
    return len(rows)


@celery_app.task(base=KairosTask, name="reliability.fire_due", bind=True)
def fire_due(self: KairosTask, due_id: str, **_: Any) -> bool:
    record_attempt("fire_due", due_id)
    return effect_once(
        f"due:{due_id}",
        self.request.id or "",
        "UPDATE app.fault_due SET fired_at = now() WHERE id = %s",
    )
