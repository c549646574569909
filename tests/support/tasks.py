"""Tasks that exist only for tests of the Celery configuration."""

from __future__ import annotations

from collections import Counter
from typing import Any

from infrastructure.celery_app import celery_app
from interfaces.tasks.base import KairosTask, TransientTaskError

calls: Counter[str] = Counter()


@celery_app.task(
    base=KairosTask,
    name="tests.always_transient",
    bind=True,
    max_retries=2,
    retry_backoff=1,
    retry_backoff_max=1,
    retry_jitter=False,
)
def always_transient(self: KairosTask, **_: Any) -> None:
    calls[self.request.id] += 1
    raise TransientTaskError("upstream still unavailable")
