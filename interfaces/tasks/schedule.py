"""Beat's schedule: periodic ticks only. Each context contributes its entries."""

from __future__ import annotations

from typing import Any

from interfaces.tasks import esm, identity, myvod, ops


def beat_schedule(interval: float) -> dict[str, dict[str, Any]]:
    schedule: dict[str, dict[str, Any]] = {}
    for module in (ops, identity, myvod, esm):
        schedule.update(module.beat_entries(interval))
    return schedule
