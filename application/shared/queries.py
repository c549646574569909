"""The read side's port: queries run SQL against the read models (never replay aggregates)."""

from __future__ import annotations

from typing import Any, Protocol


class ReadModels(Protocol):
    def fetch_one(self, sql: str, params: Any = None) -> dict[str, Any] | None: ...

    def fetch_all(self, sql: str, params: Any = None) -> list[dict[str, Any]]: ...

    def wait_for(self, projection: str, application: str, position: int, timeout: float) -> bool:
        """Blocks until the projection has processed `position` of `application`'s log.
        Returns False on timeout (the caller decides whether that matters)."""
        ...
