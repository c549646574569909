"""The base of the ESMpress application: construction and the helpers every use case shares."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from application.esm.links import LinkSigner
from application.shared.app import KairosApplication
from application.shared.ports import Clock, PersonalDataVault
from application.shared.queries import ReadModels
from domain.esm.schedule import zone
from domain.shared.errors import ConcurrencyError, InvalidInput, NotFound

T = TypeVar("T", bound=Aggregate)
PLAN_AHEAD_DAYS = 1


class ESMBase(KairosApplication):
    def __init__(
        self,
        env: dict[str, str] | None = None,
        *,
        vault: PersonalDataVault,
        clock: Clock,
        read: ReadModels | None = None,
        link_secret: bytes | None = None,
    ) -> None:
        super().__init__(env)
        self.vault = vault
        self.links = LinkSigner(link_secret or secrets.token_bytes(32))
        self.clock = clock
        self.read = read
        self.plan_ahead_days = PLAN_AHEAD_DAYS
        self.seed_source: Callable[[], int] = lambda: secrets.randbits(63)
        self._database_zones: frozenset[str] | None = None

    # -- helpers -----------------------------------------------------------------------
    def _get(self, aggregate_id: UUID, kind: type[T], missing: str) -> T:
        found = self.get_or_none(aggregate_id)
        if not isinstance(found, kind):
            raise NotFound(missing)
        return found

    def _save_outcome(self, aggregate: Aggregate, outcome: str) -> str:
        try:
            self.save(aggregate)
        except ConcurrencyError:
            return "skipped"
        return outcome

    def _check_zone(self, name: str) -> None:
        """The zone must be known to Python and, as the planning queries use it, to the
        database too (their time zone databases can differ in age)."""
        zone(name)
        if self.read is None:
            return
        if self._database_zones is None:
            rows = self.read.fetch_all("SELECT name FROM pg_timezone_names")
            self._database_zones = frozenset(row["name"] for row in rows)
        if name not in self._database_zones:
            raise InvalidInput(f"timezone {name!r} is not known to the database")

    def _read(self) -> ReadModels:
        if self.read is None:
            raise RuntimeError("ESMApplication needs read models for this use case")
        return self.read
