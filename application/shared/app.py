"""The base of every bounded context's eventsourcing Application."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, Recording

from domain.shared.errors import ConcurrencyError


class KairosApplication(Application[UUID]):
    """Maps the store's optimistic-concurrency failure to the domain's ConcurrencyError,
    and exposes the position a command reached (for read-your-writes)."""

    before_save: Callable[[str, list[tuple[UUID, int]]], Callable[[], None]] | None = None
    """Called before each save with the (originator id, version) of the events about to be
    stored; returns an undo called if the save fails. The composition root wires the
    correlation-id store here (infrastructure/correlation.py)."""

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        undo = self._before_save(objs)
        try:
            return self._save(objs, kwargs)
        except IntegrityError as error:
            undo()
            raise ConcurrencyError(
                "the record was changed by another request; reload and retry"
            ) from error
        except BaseException:
            undo()
            raise

    def _save(self, objs: tuple[Any, ...], kwargs: dict[str, Any]) -> list[Recording[UUID]]:
        """`Application.save` without its per-object `isinstance` checks against
        runtime-checkable Protocols (about 50 us each, two per object: a fifth of planning's
        time); plain aggregates take the fast path, anything else the library's own."""
        processing_event: ProcessingEvent[UUID] = ProcessingEvent()
        for obj in objs:  # in order, as the library does
            if isinstance(obj, Aggregate):
                processing_event.events.extend(obj.collect_events())
                processing_event.aggregates[obj.id] = obj
            else:
                processing_event.collect_events(obj)
        processing_event.saved_kwargs.update(kwargs)
        recordings = self._record(processing_event)
        self._take_snapshots(processing_event)
        self._notify(recordings)
        self.notify(processing_event.events)  # the library's deprecated hook, as save() calls it
        return recordings

    def _before_save(self, objs: tuple[Any, ...]) -> Callable[[], None]:
        if self.before_save is None:
            return lambda: None
        keys = [
            (event.originator_id, event.originator_version)
            for obj in objs
            for event in getattr(obj, "pending_events", ())
        ]
        return self.before_save(self.name, keys) if keys else (lambda: None)

    def save_and_position(self, *objs: Any) -> int:
        """Saves, returning the highest notification id written (0 when nothing changed)."""
        recordings = self.save(*objs)
        return max((r.notification.id for r in recordings), default=0)

    def get_or_none(self, aggregate_id: UUID) -> Aggregate | None:
        try:
            return self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
