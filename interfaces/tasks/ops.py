"""Operational tasks."""

from __future__ import annotations

from typing import Any

from infrastructure.celery_app import celery_app
from interfaces.tasks.base import KairosTask

CORRELATION_RETENTION_DAYS = 30


@celery_app.task(base=KairosTask, name="ops.ping")
def ping(**kwargs: Any) -> str:
    return "pong"


@celery_app.task(base=KairosTask, name="ops.prune_correlations")
def prune_correlations(**kwargs: Any) -> int:
    """Drops event -> correlation id rows older than the retention (idempotent)."""
    from infrastructure.correlation import EventCorrelations
    from interfaces.tasks.runtime import container

    return EventCorrelations(container().database).prune(CORRELATION_RETENTION_DAYS)


def beat_entries(interval: float) -> dict[str, dict[str, Any]]:
    return {
        "ops.prune_correlations": {"task": "ops.prune_correlations", "schedule": 3600.0},
    }
