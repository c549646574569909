"""MyVOD use cases: the watchlist (API side) and the enrichment, refresh, alert and
suggestion steps that tasks run when the outbox dispatches them."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from uuid import UUID

from application.myvod.importing import ImportRow
from application.myvod.ports import (
    AvailabilitySource,
    MovieCatalogue,
    SearchHit,
    Suggester,
    Suggestions,
    TasteProfile,
    UpstreamRefused,
)
from application.shared.app import KairosApplication
from application.shared.ports import Clock, PersonalDataVault
from application.shared.queries import ReadModels
from domain.myvod.ids import title_id_for, watchlist_id_for
from domain.myvod.title import STREAMABLE, Title
from domain.myvod.watchlist import TitleAlreadyOnList, Watchlist
from domain.shared.errors import ConcurrencyError, DomainError, InvalidInput, NotFound

T = TypeVar("T")
ATTEMPTS = 3


class NoTitleMatches(NotFound):
    pass


class NotConnected(DomainError):
    """A port was not wired (the composition root forgot an adapter)."""


@dataclass(frozen=True)
class ImportOutcome:
    result: str
    """"added", "updated", "unchanged" or "unmatched"."""
    tmdb_id: int | None = None
    position: int = 0


class MyVODApplication(KairosApplication):
    name = "myvod"

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
    ) -> None:
        super().__init__(env)
        self.vault = vault
        self.clock = clock
        self.catalogue = catalogue
        self.availability_source = availability
        self.suggester = suggester
        self.offline_suggester = offline_suggester
        self.read = read

    # -- watchlist (API) -------------------------------------------------------------

    def add_title(
        self,
        account_id: UUID,
        tmdb_id: int | None = None,
        query: str | None = None,
        source: str = "api",
    ) -> tuple[int, int]:
        """Adds a title by TMDB id or by the best search hit; returns (tmdb_id, position)."""
        title_hint, year_hint = None, None
        if tmdb_id is None:
            query = (query or "").strip()
            if not query:
                raise InvalidInput("give a tmdb_id or a query")
            hits = self._catalogue().search(query)
            if not hits:
                raise NoTitleMatches(f"no film matches {query!r}")
            tmdb_id, title_hint, year_hint = hits[0].tmdb_id, hits[0].title, hits[0].year
        if tmdb_id <= 0:
            raise InvalidInput("tmdb_id must be a positive number")
        chosen = tmdb_id

        def attempt() -> int:
            watchlist = self._watchlist(account_id)
            title = self.get_or_none(title_id_for(chosen))
            new_title = None
            if title is None:
                new_title = Title(tmdb_id=chosen, title_hint=title_hint, year_hint=year_hint)
            watchlist.add_title(chosen, title_id_for(chosen), self.clock(), source)
            return self.save_and_position(watchlist, *([new_title] if new_title else []))

        return tmdb_id, self._retrying(attempt)

    def remove_title(self, account_id: UUID, tmdb_id: int) -> int:
        watchlist = self._existing_watchlist(account_id)
        watchlist.remove_title(tmdb_id)
        return self.save_and_position(watchlist)

    def mark_watched(self, account_id: UUID, tmdb_id: int, rating: int | None) -> int:
        watchlist = self._existing_watchlist(account_id)
        watchlist.mark_watched(tmdb_id, rating, self.clock())
        return self.save_and_position(watchlist)

    def write_note(self, account_id: UUID, tmdb_id: int, note: str) -> int:
        watchlist = self._existing_watchlist(account_id)
        watchlist.write_note(tmdb_id, note)
        return self.save_and_position(watchlist)

    def choose_services(self, account_id: UUID, region: str, services: list[str]) -> int:
        def attempt() -> int:
            watchlist = self._watchlist(account_id)
            watchlist.choose_services(region, services)
            return self.save_and_position(watchlist)

        return self._retrying(attempt)

    def request_suggestions(self, account_id: UUID) -> tuple[str, int]:
        request_id = str(uuid.uuid4())

        def attempt() -> int:
            watchlist = self._watchlist(account_id)
            watchlist.request_suggestions(request_id, self.clock())
            return self.save_and_position(watchlist)

        return request_id, self._retrying(attempt)

    def import_row(self, account_id: UUID, row: ImportRow) -> ImportOutcome:
        return self.import_rows(account_id, [row])[0]

    def import_rows(self, account_id: UUID, rows: list[ImportRow]) -> list[ImportOutcome]:
        """Adds exported films (matched by title and year) and records watched/rating, in one
        save for the whole batch (so an import loads the watchlist once per batch)."""
        hits = [self._match(row) for row in rows]

        def attempt() -> tuple[list[str], int]:
            watchlist = self._watchlist(account_id)
            new_titles: dict[int, Title] = {}
            results: list[str] = []
            for row, hit in zip(rows, hits, strict=True):
                if hit is None:
                    results.append("unmatched")
                    continue
                title_id = title_id_for(hit.tmdb_id)
                if hit.tmdb_id not in new_titles and self.get_or_none(title_id) is None:
                    new_titles[hit.tmdb_id] = Title(
                        tmdb_id=hit.tmdb_id, title_hint=hit.title, year_hint=hit.year
                    )
                result = "unchanged"
                if not watchlist.has(hit.tmdb_id):
                    watchlist.add_title(hit.tmdb_id, title_id, self.clock(), "import")
                    result = "added"
                if row.watched and watchlist.mark_watched(hit.tmdb_id, row.rating, self.clock()):
                    result = "added" if result == "added" else "updated"
                results.append(result)
            return results, self.save_and_position(watchlist, *new_titles.values())

        results, position = self._retrying(attempt)
        return [
            ImportOutcome(result, hit.tmdb_id if hit else None, position)
            for result, hit in zip(results, hits, strict=True)
        ]

    def _match(self, row: ImportRow) -> SearchHit | None:
        hits = self._catalogue().search(row.title, row.year)
        if not hits and row.year is not None:
            hits = self._catalogue().search(row.title)
        exact = [h for h in hits if h.title.lower() == row.title.lower()]
        candidates = exact or hits
        return candidates[0] if candidates else None

    # -- enrichment, refresh, alerts, suggestions (tasks) ------------------------------

    def enrich_title(self, title_id: UUID) -> str:
        title = self._title(title_id)
        if title.enriched:
            return "already enriched"
        details = self._catalogue().details(title.tmdb_id)

        def attempt() -> str:
            fresh = self._title(title_id)
            if details is None:
                changed = fresh.mark_unknown("TMDB has no film with this id")
            else:
                changed = fresh.enrich(
                    title=details.title,
                    year=details.year,
                    poster_path=details.poster_path,
                    poster_url=details.poster_url,
                    overview=details.overview,
                    genres=details.genres,
                    runtime=details.runtime,
                )
            if not changed:
                return "already enriched"
            self.save(fresh)
            return "unknown" if details is None else "enriched"

        return self._retrying(attempt)

    def refresh_availability(self, title_id: UUID, initial_only: bool = False) -> str:
        """Fetches the title's offers and records what changed. With initial_only (the
        outbox's first check) a title already checked is left alone."""
        title = self._title(title_id)
        if initial_only and title.checked_at is not None:
            return "already checked"
        if self.availability_source is None:
            raise NotConnected("no availability source")
        found = self.availability_source.availability(title.tmdb_id, title.watchmode_id)

        def attempt() -> str:
            fresh = self._title(title_id)
            if initial_only and fresh.checked_at is not None:
                return "already checked"
            outcome = fresh.record_availability(found.offers, found.watchmode_id, self.clock())
            self.save(fresh)
            return outcome

        return self._retrying(attempt)

    def raise_alerts(
        self, tmdb_id: int, title: str | None, added: list[dict[str, Any]], change_key: str
    ) -> int:
        """For every watchlist holding the title (to watch) whose region and services match a
        newly added streamable offer, records one alert for this change. Returns how many."""
        streamable = [o for o in added if o["type"] in STREAMABLE]
        if not streamable:
            return 0
        rows = self._read().fetch_all(
            "SELECT w.watchlist_id, w.region, w.services FROM read.myvod_items i"
            " JOIN read.myvod_watchlists w ON w.watchlist_id = i.watchlist_id"
            " WHERE i.tmdb_id = %s AND i.status = 'to_watch' AND w.region IS NOT NULL",
            (tmdb_id,),
        )
        raised = 0
        for row in rows:
            offers = [
                o
                for o in streamable
                if o["region"] == row["region"] and o["service"] in (row["services"] or [])
            ]
            if not offers:
                continue
            watchlist_id = row["watchlist_id"]

            def attempt(wid: UUID = watchlist_id, matched: list[dict[str, Any]] = offers) -> bool:
                watchlist: Watchlist = self.repository.get(wid)
                if not watchlist.has(tmdb_id) or not watchlist.raise_alert(
                    change_key, tmdb_id, title, matched
                ):
                    return False
                self.save(watchlist)
                return True

            raised += int(self._retrying(attempt))
        return raised

    def alert(self, watchlist_id: UUID, change_key: str) -> dict[str, Any] | None:
        """The recorded alert (account, title, offers) for the email task, or None."""
        watchlist = self.get_or_none(watchlist_id)
        if not isinstance(watchlist, Watchlist) or change_key not in watchlist.alerts:
            return None
        for event in reversed(list(self.repository.event_store.get(watchlist_id))):
            if isinstance(event, Watchlist.AvailabilityAlertRaised) and (
                event.change_key == change_key
            ):
                return {
                    "account_id": watchlist.account_id,
                    "tmdb_id": event.tmdb_id,
                    "title": event.title,
                    "offers": list(event.offers),
                }
        return None

    def make_suggestions(self, watchlist_id: UUID, request_id: str, count: int = 5) -> str:
        watchlist: Watchlist = self.repository.get(watchlist_id)
        if watchlist.suggestions.get(request_id) != "pending":
            return "already answered"
        profile = self.taste_profile(watchlist_id)
        answer = self._suggest(profile, count)
        on_list = set(watchlist.items)
        items: list[dict[str, Any]] = []
        for suggestion in answer.items:
            hits = self._catalogue().search(suggestion.title, suggestion.year)
            exact = [h for h in hits if h.title.lower() == suggestion.title.lower()]
            hit = exact[0] if exact else None
            if hit is not None and hit.tmdb_id in on_list:
                continue
            items.append(
                {
                    "tmdb_id": hit.tmdb_id if hit else None,
                    "title": hit.title if hit else suggestion.title,
                    "year": hit.year if hit else suggestion.year,
                    "poster_url": hit.poster_url if hit else None,
                    "reason": suggestion.reason,
                }
            )

        def attempt() -> str:
            fresh: Watchlist = self.repository.get(watchlist_id)
            if not fresh.record_suggestions(request_id, items, answer.source, answer.note):
                return "already answered"
            self.save(fresh)
            return answer.source

        return self._retrying(attempt)

    def taste_profile(self, watchlist_id: UUID) -> TasteProfile:
        rows = self._read().fetch_all(
            "SELECT t.title, t.year, t.genres, i.status, i.rating FROM read.myvod_items i"
            " JOIN read.myvod_titles t ON t.tmdb_id = i.tmdb_id"
            " WHERE i.watchlist_id = %s AND t.title IS NOT NULL ORDER BY i.added_at",
            (watchlist_id,),
        )
        return TasteProfile(titles=[dict(r) for r in rows])

    # -- helpers ---------------------------------------------------------------------

    def _suggest(self, profile: TasteProfile, count: int) -> Suggestions:
        if self.suggester is not None:
            try:
                return self.suggester.suggest(profile, count)
            except UpstreamRefused as error:
                if self.offline_suggester is None:
                    raise
                offline = self.offline_suggester.suggest(profile, count)
                return Suggestions(
                    offline.items, "offline", f"Gemini refused the request ({error}); offline."
                )
        if self.offline_suggester is None:
            raise NotConnected("no suggester")
        return self.offline_suggester.suggest(profile, count)

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


__all__ = ["ImportOutcome", "MyVODApplication", "NoTitleMatches", "TitleAlreadyOnList"]
