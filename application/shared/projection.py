"""How a projection is declared: the events it handles, the tables it owns, its SQL.

The runner (infrastructure/postgres/projector.py) follows the notification logs, calls
`apply` for every event of a handled type inside a transaction, and writes the projection's
position in that same transaction, so view rows and position always agree (exactly-once).
Events of other types still advance the position.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from functools import singledispatchmethod
from typing import Any, ClassVar

from eventsourcing.domain import DomainEvent
from eventsourcing.utils import get_topic

from application.shared.ports import Cursor


@dataclass(frozen=True)
class Position:
    application: str
    notification_id: int


class Projection(ABC):
    name: ClassVar[str]
    """Unique name; the key of its tracking rows."""

    applications: ClassVar[tuple[str, ...]]
    """Names of the applications (bounded contexts) whose logs it follows."""

    handles: ClassVar[tuple[type[DomainEvent], ...]] = ()
    """Event classes it applies. Left empty, they are the types registered on a
    singledispatchmethod `apply`; with neither, every event (e.g. the audit hash chain)."""

    tables: ClassVar[tuple[str, ...]] = ()
    """Qualified tables it owns; truncated on rebuild."""

    version: ClassVar[int] = 1
    """Raise it when `apply` changes what it writes for events already stored (a new column
    filled from old events, a fixed derivation): the active projector then rebuilds the
    projection from the first event by itself (app.projection_versions; docs/operations.md,
    Upgrade). A change that only handles new event types needs no bump."""

    needs_raw: ClassVar[bool] = False
    """True when `apply_raw` wants the stored bytes instead of decoded events."""

    @classmethod
    def handled_events(cls) -> tuple[type[DomainEvent], ...]:
        if cls.handles:
            return cls.handles
        apply = next((k.__dict__["apply"] for k in cls.__mro__ if "apply" in k.__dict__), None)
        if not isinstance(apply, singledispatchmethod):
            return ()
        return tuple(t for t in apply.dispatcher.registry if t is not object)

    @classmethod
    def handled_topics(cls) -> frozenset[str]:
        return frozenset(get_topic(c) for c in cls.handled_events())

    @abstractmethod
    def apply(self, event: Any, cursor: Cursor, position: Position) -> None:
        """Writes the event's effect. Runs inside the runner's transaction. The event comes
        first so implementations can use functools.singledispatchmethod on its type."""

    def apply_raw(self, notification: Any, cursor: Cursor, position: Position) -> None:
        """For projections with needs_raw: receives the stored notification itself."""
        raise NotImplementedError
