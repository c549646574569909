"""The base of every bounded context's eventsourcing Application."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, Recording

from domain.shared.errors import ConcurrencyError


class KairosApplication(Application[UUID]):
    """Maps the store's optimistic-concurrency failure to the domain's ConcurrencyError,
    and exposes the position a command reached (for read-your-writes)."""

    on_recorded: Callable[[str, list[int]], None] | None = None
    """Called after each save with the notification ids written; the composition root
    wires the correlation-id store here (infrastructure/correlation.py)."""

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        try:
            recordings = super().save(*objs, **kwargs)
        except IntegrityError as error:
            raise ConcurrencyError(
                "the record was changed by another request; reload and retry"
            ) from error
        if self.on_recorded is not None and recordings:
            self.on_recorded(self.name, [r.notification.id for r in recordings])
        return recordings

    def save_and_position(self, *objs: Any) -> int:
        """Saves, returning the highest notification id written (0 when nothing changed)."""
        recordings = self.save(*objs)
        return max((r.notification.id for r in recordings), default=0)

    def get_or_none(self, aggregate_id: UUID) -> Aggregate | None:
        try:
            return self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
