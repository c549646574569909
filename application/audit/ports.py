"""What the audit use cases need from the infrastructure."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.application import Application

from application.audit.chain import StoredRow
from application.shared.projection import Projection

Progress = Callable[[int], None]
"""Called with how many more events were checked (drives a progress bar)."""


class ConnectionSource(Protocol):
    """A connection pool (infrastructure's `Database.pool`)."""

    def connection(self, timeout: float | None = None) -> Any: ...


@dataclass
class Difference:
    kind: str
    application: str | None
    detail: str
    notification_id: int | None = None
    table: str | None = None
    projection: str | None = None
    key: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass
class ChainReport:
    events_checked: int = 0
    pending: int = 0
    differences: list[Difference] = field(default_factory=list)
    heads: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class Scope:
    """One campaign: its id and the ids of all its streams (from the stream index)."""

    campaign_id: UUID
    streams: tuple[UUID, ...]
    applications: tuple[str, ...] = ("esm",)


@dataclass
class RederiveReport:
    events_replayed: int = 0
    rows_compared: int = 0
    differences: list[Difference] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


Logs = Mapping[str, Application]
"""The applications whose logs an audit reads, by name."""
Views = Sequence[Projection]
"""The projections whose read models an audit re-derives."""

StoredRowWithLinks = tuple[StoredRow, bytes | None, bytes | None]
"""A stored event and its hash-chain entry (event hash, link hash) when chained yet."""


class AuditStore(Protocol):
    """The event store and the audit tables as the audit use cases see them; implemented in
    infrastructure/audit/store.py (PostgreSQL)."""

    def campaign_streams(self, campaign_id: UUID) -> list[UUID]:
        """The ids of every stream of the campaign (itself first), from the stream index."""
        ...

    def load_rows(
        self, streams: Sequence[UUID], after: int | None = None, limit: int | None = None
    ) -> list[StoredRowWithLinks]:
        """The esm streams' stored rows in commit order (after a position, at most `limit`)."""
        ...

    def verify_log(self, application: str, progress: Progress | None = None) -> ChainReport:
        """Re-checks one application's whole hash chain against its events table."""
        ...

    def verify_streams(self, application: str, streams: Sequence[UUID]) -> ChainReport: ...

    def rederive(
        self, applications: Logs, projections: Views, scope: Scope | None, progress: Progress | None
    ) -> RederiveReport:
        """Re-derives the read models from the events (in scope) and compares them with the
        live tables, changing nothing."""
        ...

    def wait_for(
        self, projection: str, application: str, position: int, timeout: float
    ) -> bool: ...
