"""What the audit use cases need from the infrastructure."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

Progress = Callable[[int], None]
"""Called with how many more events were checked (drives a progress bar)."""


class ConnectionSource(Protocol):
    """A psycopg connection pool (`Database.pool`): audits read the stored rows themselves and
    re-derive read models inside a transaction they roll back."""

    def connection(self, timeout: float | None = None) -> Any: ...


class AuditDatabase(Protocol):
    pool: ConnectionSource

    def fetch_one(self, sql: str, params: Any = None) -> dict[str, Any] | None: ...

    def fetch_all(self, sql: str, params: Any = None) -> list[dict[str, Any]]: ...
