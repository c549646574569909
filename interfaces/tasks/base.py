"""What every task shares: the base class (idempotent by contract, bounded retries with
backoff and jitter, a dead-letter row when it finally fails) and the error that asks for a
retry."""

from __future__ import annotations

import logging
from typing import Any

from celery import Task

from infrastructure.deadletters import record_dead_letter
from interfaces.tasks.runtime import container

log = logging.getLogger("kairos.tasks")


class TransientTaskError(Exception):
    """Raised by a task when a retry may succeed (upstream 429/5xx, timeouts)."""


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
        log.error("task %s %s failed for good: %r", self.name, task_id, exc)
        try:
            record_dead_letter(
                container().database,
                task_id,
                self.name,
                kwargs,
                repr(exc),
                self.request.retries + 1,
            )
        except Exception:  # the dead letter is best effort; the log line above remains
            log.exception("could not record dead letter for %s", task_id)
