"""The outbox policy: which stored event becomes which Celery task.

The relay publishes a task for each rule that matches an event, with the task id
`{application}:{notification_id}:{task}` so a republished message is recognisably the same
one, and every task is idempotent on that key or on the aggregate state it checks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from eventsourcing.domain import DomainEvent


@dataclass(frozen=True)
class OutboxRule:
    event: type[DomainEvent]
    task: str
    kwargs: Callable[[Any], dict[str, Any]]
    """Builds the task's JSON-serialisable kwargs from the event."""
