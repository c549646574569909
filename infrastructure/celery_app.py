"""The Celery app on Redis: late acks, redelivery when a worker dies, prefetch 1, bounded
retries with exponential backoff and jitter ending in a dead-letter row (app.dead_letters).

Nothing is scheduled with ETA/countdown: beat ticks read what is due from the read models.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from celery import Celery, Task

from infrastructure.settings import Settings

log = logging.getLogger("kairos.tasks")

TASK_MODULES = (
    "infrastructure.tasks.ops",
    "infrastructure.tasks.identity",
    "infrastructure.tasks.myvod",
    "infrastructure.tasks.esm",
)

celery_app = Celery("kairos", include=list(TASK_MODULES))


class TransientTaskError(Exception):
    """Raised by a task when a retry may succeed (upstream 429/5xx, timeouts)."""


def configure_celery(settings: Settings) -> Celery:
    from infrastructure.tasks.schedule import beat_schedule

    celery_app.conf.update(
        broker_url=settings.redis_url,
        result_backend=None,
        task_ignore_result=True,
        task_serializer="json",
        accept_content=["json"],
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_default_queue=settings.celery_queue,
        # A task of a worker that died comes back after the visibility timeout. Every task is
        # short (HTTP timeouts <= 20 s, retry backoff <= 300 s), so 10 minutes is safely above
        # the longest run and keeps recovery quick; the hard time limit keeps it that way.
        broker_transport_options={"visibility_timeout": 600},
        task_soft_time_limit=240,
        task_time_limit=300,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
        beat_schedule=beat_schedule(settings.beat_interval_seconds),
        timezone="UTC",
    )
    from infrastructure.task_signals import install

    install(settings)  # correlation id header, task outcome counters
    return celery_app


class KairosTask(Task):
    """Base for every task: idempotent by contract, retried on TransientTaskError with
    backoff and jitter, and dead-lettered when it finally fails."""

    autoretry_for = (TransientTaskError,)
    retry_backoff = 2
    retry_backoff_max = 300
    retry_jitter = True
    max_retries = 5
    acks_late = True
    reject_on_worker_lost = True

    def on_failure(
        self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any
    ) -> None:
        from infrastructure.tasks.runtime import container

        log.error("task %s %s failed for good: %r", self.name, task_id, exc)
        try:
            container().database.execute(
                "INSERT INTO app.dead_letters (task_id, task_name, kwargs, error, attempts)"
                " VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                (
                    task_id,
                    self.name,
                    json.dumps(kwargs, default=str),
                    repr(exc)[:2000],
                    self.request.retries + 1,
                ),
            )
        except Exception:  # the dead letter is best effort; the log line above remains
            log.exception("could not record dead letter for %s", task_id)


class CeleryPublisher:
    """The relay's TaskPublisher. Inside `batch()`, messages to a Redis broker are written in
    pipelined batches (infrastructure/celery_batch.py) instead of one `send_task` each."""

    def __init__(self, app: Celery, queue: str) -> None:
        self.app = app
        self.queue = queue
        self._local = threading.local()
        self._redis: Any = None

    @contextmanager
    def batch(self, max_size: int = 1000) -> Iterator[None]:
        """Publishes everything sent inside the block, at the latest when it exits; raises if
        Redis did not accept it."""
        from infrastructure.celery_batch import RedisTaskBatch

        broker = str(self.app.conf.broker_url or "")
        if not broker.startswith(("redis://", "rediss://", "unix://")):
            yield  # other brokers: one send_task per message
            return
        if self._redis is None:
            import redis

            self._redis = redis.Redis.from_url(broker)
        self._local.batch = RedisTaskBatch(self.app, self._redis, self.queue)
        self._local.max_size = max_size
        try:
            yield
            self._local.batch.flush()
        finally:
            self._local.batch = None

    def publish(self, task: str, kwargs: dict[str, Any], task_id: str) -> None:
        batch = getattr(self._local, "batch", None)
        if batch is None:
            self.app.send_task(task, kwargs=kwargs, task_id=task_id, queue=self.queue)
            return
        batch.add(task, kwargs, task_id)
        if batch.count >= self._local.max_size:
            batch.flush()
