"""MyVOD use cases: the watchlist (API side), import, and the enrichment and availability
steps that tasks run when the outbox dispatches them. Alerts and suggestions live in
alerts.py and suggestions.py; shared ports and helpers in base.py."""

from __future__ import annotations

import difflib
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

from application.myvod.alerts import AlertUseCases
from application.myvod.base import NotConnected
from application.myvod.calendar import CalendarUseCases
from application.myvod.exporting import ExportUseCases
from application.myvod.importing import ImportRow
from application.myvod.lists import ListUseCases
from application.myvod.matching import match_row, watched_moment
from application.myvod.planning import PlanningUseCases
from application.myvod.ports import SearchHit
from application.myvod.queries import poster_link
from application.myvod.suggestions import SuggestionUseCases
from domain.myvod.ids import title_id_for
from domain.myvod.lists import TitleList
from domain.myvod.title import Title
from domain.myvod.watchlist import TitleAlreadyOnList, Watchlist
from domain.shared.errors import InvalidInput, NotFound, RateLimited

SUGGESTIONS_PER_HOUR = 10
"""New suggestion requests per user and hour (each may be a paid Gemini call)."""

SEARCH_CACHE_SECONDS = 86400
"""A catalogue search is answered from the cache for a day."""


class NoTitleMatches(NotFound):
    pass


class UnknownServices(InvalidInput):
    """Service slugs the streaming catalogue does not know, each with its closest matches."""

    def __init__(self, unknown: dict[str, list[str]]) -> None:
        parts = []
        for name, close in unknown.items():
            hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
            parts.append(f"unknown service {name!r}{hint}")
        super().__init__("; ".join(parts) + " (GET /services lists every slug)")
        self.public_fields = {"unknown": [{"service": n, "closest": c} for n, c in unknown.items()]}


@dataclass(frozen=True)
class ImportOutcome:
    result: str
    """"added", "updated", "unchanged" or "unmatched"."""
    tmdb_id: int | None = None
    position: int = 0
    candidates: tuple[SearchHit, ...] = ()
    """For an unmatched row: the films it may be, for the person to choose from."""


class MyVODApplication(
    AlertUseCases,
    SuggestionUseCases,
    PlanningUseCases,
    ListUseCases,
    ExportUseCases,
    CalendarUseCases,
):
    name = "myvod"
    snapshotting_intervals: ClassVar[dict[Any, int]] = {
        Watchlist: 100,
        Title: 100,
        TitleList: 100,
    }
    """A heavy user's watchlist (an import of 2000 films is ~4000 events) loads from its
    latest snapshot plus at most 99 events."""

    # -- watchlist (API) -------------------------------------------------------------

    def search_catalogue(self, query: str) -> list[dict[str, Any]]:
        """Titles matching `query` (tmdb_id, title, year, poster_url), from the search cache
        when the same words were answered within SEARCH_CACHE_SECONDS. Raises NotConnected
        without a catalogue, and the catalogue's Upstream* errors."""
        key = " ".join(query.lower().split())
        cache = self.search_cache
        results = cache.fresh(key, SEARCH_CACHE_SECONDS) if cache is not None else None
        if results is None:
            results = [
                {
                    "tmdb_id": h.tmdb_id,
                    "title": h.title,
                    "year": h.year,
                    "poster_path": h.poster_path,
                }
                for h in self._catalogue().search(query)
            ]
            if cache is not None:
                cache.store(key, results)
        return [
            {
                **{k: v for k, v in r.items() if k != "poster_path"},
                "poster_url": poster_link(
                    self.catalogue, r.get("poster_path"), r.get("poster_url")
                ),
            }
            for r in results
        ]

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

    def mark_watched(
        self,
        account_id: UUID,
        tmdb_id: int,
        rating: int | None,
        watched_at: datetime | None = None,
    ) -> int:
        watchlist = self._existing_watchlist(account_id)
        watchlist.mark_watched(tmdb_id, rating, self.clock(), watched_at)
        return self.save_and_position(watchlist)

    def write_note(self, account_id: UUID, tmdb_id: int, note: str) -> int:
        watchlist = self._existing_watchlist(account_id)
        watchlist.write_note(tmdb_id, note)
        return self.save_and_position(watchlist)

    def choose_services(self, account_id: UUID, region: str, services: list[str]) -> int:
        """Only slugs of the streaming catalogue (GET /services): an unknown one is refused
        with the closest known slugs, so `netflx` is never stored to match nothing."""
        self._check_services(services)

        def attempt() -> int:
            watchlist = self._watchlist(account_id)
            watchlist.choose_services(region, services)
            return self.save_and_position(watchlist)

        return self._retrying(attempt)

    def _check_services(self, services: list[str]) -> None:
        if self.availability_source is None or not services:
            return
        catalogue = self.availability_source.services(None)
        known = {s.service for s in catalogue}
        names = {s.name.lower(): s.service for s in catalogue}
        unknown: dict[str, list[str]] = {}
        for name in services:
            slug = name.strip().lower()
            if slug in known:
                continue
            close = difflib.get_close_matches(slug, sorted(known), n=3, cutoff=0.6)
            close += [names[n] for n in difflib.get_close_matches(slug, sorted(names), n=3)]
            unknown[name] = list(dict.fromkeys(close))[:3]
        if unknown:
            raise UnknownServices(unknown)

    def request_suggestions(self, account_id: UUID) -> tuple[str, int]:
        """A new request (one suggester call), or the pending one when it is recent. New
        requests spend the user's budget (SUGGESTIONS_PER_HOUR): over it, RateLimited."""
        request_id = str(uuid.uuid4())

        def attempt() -> tuple[str, int]:
            watchlist = self._watchlist(account_id)
            pending = watchlist.pending_suggestions(self.clock())
            if pending is not None:
                return pending, 0
            if self.budgets is not None:
                wait = self.budgets.spend(
                    "suggestions", str(account_id), SUGGESTIONS_PER_HOUR, 3600
                )
                if wait:
                    raise RateLimited(
                        f"at most {SUGGESTIONS_PER_HOUR} suggestion requests an hour", wait
                    )
            chosen = watchlist.request_suggestions(request_id, self.clock())
            return chosen, self.save_and_position(watchlist)

        return self._retrying(attempt)

    def import_row(self, account_id: UUID, row: ImportRow) -> ImportOutcome:
        return self.import_rows(account_id, [row])[0]

    def import_rows(self, account_id: UUID, rows: list[ImportRow]) -> list[ImportOutcome]:
        """Adds exported films (matched by IMDb id, else title and year) as to watch, and
        records watched rows with their rating and date, in one save for the whole batch (so
        an import loads the watchlist once per batch)."""
        matches = [match_row(self._catalogue(), row) for row in rows]
        hits = [hit for hit, _ in matches]

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
                if row.watched and watchlist.mark_watched(
                    hit.tmdb_id, row.rating, self.clock(), watched_moment(row)
                ):
                    result = "added" if result == "added" else "updated"
                results.append(result)
            return results, self.save_and_position(watchlist, *new_titles.values())

        results, position = self._retrying(attempt)
        return [
            ImportOutcome(result, hit.tmdb_id if hit else None, position, tuple(candidates))
            for result, (hit, candidates) in zip(results, matches, strict=True)
        ]

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
                    poster_url=None,  # built from the path when read: its host may change
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


__all__ = [
    "ImportOutcome",
    "MyVODApplication",
    "NoTitleMatches",
    "NotConnected",
    "TitleAlreadyOnList",
]
