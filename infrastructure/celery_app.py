"""The Celery app on Redis: late acks, redelivery when a worker dies, prefetch 1. The task
base class (bounded retries with backoff and jitter ending in a dead-letter row) lives with
the tasks, in interfaces/tasks/base.py.

Nothing is scheduled with ETA/countdown: beat ticks read what is due from the read models.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from celery import Celery

from infrastructure.observability import SharedCounters
from infrastructure.settings import Settings
from infrastructure.task_signals import install

TASK_MODULES = (
    "interfaces.tasks.ops",
    "interfaces.tasks.identity",
    "interfaces.tasks.myvod",
    "interfaces.tasks.esm",
)
"""The tasks are entry points (interfaces/tasks/): they import this app; the app finds them
by name when a worker starts, and never imports them itself."""

celery_app = Celery("kairos", include=list(TASK_MODULES))


def configure_celery(
    settings: Settings,
    counters: SharedCounters,
    beat_schedule: Mapping[str, dict[str, Any]] | None = None,
) -> Celery:
    """Configures the one Celery app (called by the composition root); `beat_schedule`
    (interfaces/tasks/schedule.py) is the periodic ticks, which only beat needs."""
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
        beat_schedule=dict(beat_schedule or {}),
        timezone="UTC",
    )
    install(counters)  # correlation id header, task outcome counters
    return celery_app


class CeleryPublisher:
    """The relay's TaskPublisher. Inside `batch()`, messages to a Redis broker are written in
    pipelined batches (infrastructure/celery_batch.py) instead of one `send_task` each."""

    def __init__(self, app: Celery, queue: str, redis: Any = None) -> None:
        self.app = app
        self.queue = queue
        self._local = threading.local()
        self._redis = redis

    @contextmanager
    def batch(self, max_size: int = 1000) -> Iterator[None]:
        """Publishes everything sent inside the block, at the latest when it exits; raises if
        Redis did not accept it."""
        from infrastructure.celery_batch import RedisTaskBatch

        broker = str(self.app.conf.broker_url or "")
        if self._redis is None or not broker.startswith(("redis://", "rediss://", "unix://")):
            yield  # other brokers: one send_task per message
            return
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
