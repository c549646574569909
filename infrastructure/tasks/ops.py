"""Operational tasks."""

from __future__ import annotations

from typing import Any

from infrastructure.celery_app import KairosTask, celery_app


@celery_app.task(base=KairosTask, name="ops.ping")
def ping(**kwargs: Any) -> str:
    return "pong"


def beat_entries(interval: float) -> dict[str, dict[str, Any]]:
    return {}
