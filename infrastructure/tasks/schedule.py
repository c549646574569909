"""Beat's schedule: periodic ticks only. Each context contributes its entries."""

from __future__ import annotations

from typing import Any


def beat_schedule(interval: float) -> dict[str, dict[str, Any]]:
    from infrastructure.tasks import esm, identity, myvod, ops

    schedule: dict[str, dict[str, Any]] = {}
    for module in (ops, identity, myvod, esm):
        schedule.update(module.beat_entries(interval))
    return schedule
