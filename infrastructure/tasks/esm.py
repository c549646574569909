"""esm tasks: outcomes of outbox events come back as commands on the aggregates."""

from __future__ import annotations

from typing import Any


def beat_entries(interval: float) -> dict[str, dict[str, Any]]:
    return {}
