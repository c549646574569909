"""The base of every bounded context's eventsourcing Application."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, Recording

from domain.shared.errors import ConcurrencyError


class KairosApplication(Application[UUID]):
    """Maps the store's optimistic-concurrency failure to the domain's ConcurrencyError,
    and exposes the position a command reached (for read-your-writes)."""

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        try:
            return super().save(*objs, **kwargs)
        except IntegrityError as error:
            raise ConcurrencyError(
                "the record was changed by another request; reload and retry"
            ) from error

    def save_and_position(self, *objs: Any) -> int:
        """Saves, returning the highest notification id written (0 when nothing changed)."""
        recordings = self.save(*objs)
        return max((r.notification.id for r in recordings), default=0)

    def get_or_none(self, aggregate_id: UUID) -> Aggregate | None:
        try:
            return self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
