"""What every MyVOD use-case module shares: the ports, and loading with retries."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar
from uuid import UUID

from application.myvod.ports import AvailabilitySource, MovieCatalogue, SearchCache, Suggester
from application.shared.app import KairosApplication
from application.shared.ports import Budget, Clock, PersonalDataVault
from application.shared.queries import ReadModels
from domain.myvod.ids import watchlist_id_for
from domain.myvod.title import Title
from domain.myvod.watchlist import Watchlist
from domain.shared.errors import ConcurrencyError, DomainError, NotFound

T = TypeVar("T")
ATTEMPTS = 3


class NotConnected(DomainError):
    """A port was not wired (the composition root forgot an adapter)."""


class MyVODBase(KairosApplication):
    def __init__(
        self,
        env: dict[str, str] | None = None,
        *,
        vault: PersonalDataVault,
        clock: Clock,
        catalogue: MovieCatalogue | None = None,
        availability: AvailabilitySource | None = None,
        suggester: Suggester | None = None,
        offline_suggester: Suggester | None = None,
        read: ReadModels | None = None,
        budgets: Budget | None = None,
        search_cache: SearchCache | None = None,
        service_prices: Mapping[str, int] | None = None,
        price_currency: str = "EUR",
        accounts: Callable[[str], UUID | None] | None = None,
    ) -> None:
        super().__init__(env)
        self.vault = vault
        self.clock = clock
        self.catalogue = catalogue
        self.availability_source = availability
        self.suggester = suggester
        self.offline_suggester = offline_suggester
        self.read = read
        self.budgets = budgets
        self.search_cache = search_cache
        self.service_prices = dict(service_prices or {})
        """service slug -> cents a month (the subscription planner's prices)"""
        self.price_currency = price_currency
        self.accounts = accounts
        """email -> the account it names, if one exists (household lists)"""

    # -- helpers ---------------------------------------------------------------------

    def _watchlist(self, account_id: UUID) -> Watchlist:
        existing = self.get_or_none(watchlist_id_for(account_id))
        if isinstance(existing, Watchlist):
            return existing
        return Watchlist(account_id=account_id)

    def _existing_watchlist(self, account_id: UUID) -> Watchlist:
        existing = self.get_or_none(watchlist_id_for(account_id))
        if not isinstance(existing, Watchlist):
            raise NotFound("this title is not on your watchlist")
        return existing

    def _title(self, title_id: UUID) -> Title:
        title = self.get_or_none(title_id)
        if not isinstance(title, Title):
            raise NotFound("no such title")
        return title

    def _catalogue(self) -> MovieCatalogue:
        if self.catalogue is None:
            raise NotConnected("no film catalogue")
        return self.catalogue

    def _read(self) -> ReadModels:
        if self.read is None:
            raise NotConnected("no read models")
        return self.read

    @staticmethod
    def _retrying(attempt: Callable[[], T]) -> T:
        """Reloads and retries when another writer saved the same aggregate first."""
        for number in range(ATTEMPTS):
            try:
                return attempt()
            except ConcurrencyError:
                if number == ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")
