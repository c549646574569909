"""The Watchlist aggregate: one per account (id derived from the account id).

Holds the titles (to_watch / watched, rating 1-10, a private note), the user's region and
streaming services, the availability alerts already raised (so a change is alerted once),
and suggestion requests.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.myvod.ids import watchlist_id_for
from domain.shared.errors import Conflict, InvalidInput, NotFound

REGION = re.compile(r"^[A-Z]{2}\Z")
PENDING_SUGGESTIONS_FRESH = timedelta(minutes=10)
"""A new suggestion request joins a pending one younger than this instead of asking again."""
SERVICE = re.compile(r"^[a-z0-9][a-z0-9+._-]{0,39}\Z")
MAX_NOTE = 500
MAX_SERVICES = 30
VERDICTS = ("liked", "seen", "not_interested")
MAX_PICK_TITLE = 300


def feedback_key(tmdb_id: int | None, title: str, year: int | None) -> str:
    """One verdict per pick: by TMDB id when the pick was found there, else by its name."""
    if tmdb_id is not None:
        return f"tmdb:{tmdb_id}"
    return f"title:{' '.join(title.lower().split())}:{year or ''}"


class TitleAlreadyOnList(Conflict):
    pass


class TitleNotOnList(NotFound):
    pass


class UnknownSuggestionRequest(NotFound):
    pass


def check_rating(rating: int | None) -> None:
    if rating is not None and not (isinstance(rating, int) and 1 <= rating <= 10):
        raise InvalidInput("rating must be a whole number from 1 to 10")


class Watchlist(Aggregate):
    class Started(Aggregate.Created):
        account_id: UUID

    class TitleAdded(Aggregate.Event):
        tmdb_id: int
        title_id: UUID
        added_at: datetime
        source: str

    class TitleRemoved(Aggregate.Event):
        tmdb_id: int

    class TitleWatched(Aggregate.Event):
        tmdb_id: int
        rating: int | None
        watched_at: datetime

    class NoteWritten(Aggregate.Event):
        tmdb_id: int
        note: str

    class ServicesChosen(Aggregate.Event):
        region: str
        services: list[str]

    class AvailabilityAlertRaised(Aggregate.Event):
        change_key: str
        tmdb_id: int
        title: str | None
        offers: list[dict[str, Any]]

    class SuggestionsRequested(Aggregate.Event):
        request_id: str
        requested_at: datetime

    class SuggestionFeedbackGiven(Aggregate.Event):
        key: str
        tmdb_id: int | None
        title: str
        year: int | None
        verdict: str
        """liked | seen | not_interested"""
        at: datetime

    class CalendarKeyIssued(Aggregate.Event):
        key_hash: str
        """SHA-256 hex of the feed's secret key (the key itself is never recorded)"""
        at: datetime

    class CalendarKeyRevoked(Aggregate.Event):
        at: datetime

    class SuggestionsMade(Aggregate.Event):
        request_id: str
        items: list[dict[str, Any]]
        source: str
        note: str | None

    @event(Started)
    def __init__(self, *, account_id: UUID) -> None:
        # JSON-shaped state (string keys, lists, no sets) so snapshots round-trip exactly.
        self.account_id = account_id
        self.items: dict[str, dict[str, Any]] = {}
        """str(tmdb_id) -> {status, rating, note}"""
        self.region: str | None = None
        self.services: list[str] = []
        self.alerts: dict[str, bool] = {}
        self.suggestions: dict[str, str] = {}
        self.feedback: dict[str, str] = {}
        self.calendar_key: str | None = None
        """feedback_key -> verdict on a suggested pick"""

    @classmethod
    def create_id(cls, account_id: UUID) -> UUID:
        return watchlist_id_for(account_id)

    def has(self, tmdb_id: int) -> bool:
        return str(tmdb_id) in self.items

    def tmdb_ids(self) -> list[int]:
        return [int(key) for key in self.items]

    def add_title(self, tmdb_id: int, title_id: UUID, at: datetime, source: str = "api") -> None:
        if tmdb_id <= 0:
            raise InvalidInput("tmdb_id must be a positive number")
        if self.has(tmdb_id):
            raise TitleAlreadyOnList("this title is already on your watchlist")
        self._title_added(tmdb_id=tmdb_id, title_id=title_id, added_at=at, source=source)

    @event(TitleAdded)
    def _title_added(self, tmdb_id: int, title_id: UUID, added_at: datetime, source: str) -> None:
        self.items[str(tmdb_id)] = {"status": "to_watch", "rating": None, "note": None}

    def remove_title(self, tmdb_id: int) -> None:
        self._require(tmdb_id)
        self._title_removed(tmdb_id=tmdb_id)

    @event(TitleRemoved)
    def _title_removed(self, tmdb_id: int) -> None:
        self.items.pop(str(tmdb_id), None)

    def mark_watched(
        self, tmdb_id: int, rating: int | None, at: datetime, watched_at: datetime | None = None
    ) -> bool:
        """Records the title as watched, with a rating and the moment it was watched (now
        unless given: an import or a person remembering). Unchanged facts are no-ops."""
        check_rating(rating)
        when = watched_at or at
        if when > at + timedelta(days=1):
            raise InvalidInput("the watched date cannot be in the future")
        if when.year < 1870:
            raise InvalidInput("the watched date is before films existed")
        item = self._require(tmdb_id)
        same_day = watched_at is None or item.get("watched_on") == when.date().isoformat()
        if item["status"] == "watched" and item["rating"] == rating and same_day:
            return False
        self._title_watched(tmdb_id=tmdb_id, rating=rating, watched_at=when)
        return True

    @event(TitleWatched)
    def _title_watched(self, tmdb_id: int, rating: int | None, watched_at: datetime) -> None:
        self.items[str(tmdb_id)].update(
            status="watched", rating=rating, watched_on=watched_at.date().isoformat()
        )

    def write_note(self, tmdb_id: int, note: str) -> None:
        note = note.strip()
        if len(note) > MAX_NOTE:
            raise InvalidInput(f"a note has at most {MAX_NOTE} characters")
        item = self._require(tmdb_id)
        if item["note"] != (note or None):
            self._note_written(tmdb_id=tmdb_id, note=note)

    @event(NoteWritten)
    def _note_written(self, tmdb_id: int, note: str) -> None:
        self.items[str(tmdb_id)]["note"] = note or None

    def choose_services(self, region: str, services: list[str]) -> None:
        region = region.strip().upper()
        if not REGION.match(region):
            raise InvalidInput("region must be an ISO 3166-1 alpha-2 code such as PL")
        chosen: list[str] = []
        for name in services:
            slug = name.strip().lower()
            if not SERVICE.match(slug):
                raise InvalidInput(f"{name!r} is not a service name (e.g. netflix)")
            if slug not in chosen:
                chosen.append(slug)
        if len(chosen) > MAX_SERVICES:
            raise InvalidInput(f"at most {MAX_SERVICES} services")
        self._services_chosen(region=region, services=chosen)

    @event(ServicesChosen)
    def _services_chosen(self, region: str, services: list[str]) -> None:
        self.region = region
        self.services = list(services)

    def raise_alert(
        self, change_key: str, tmdb_id: int, title: str | None, offers: list[dict[str, Any]]
    ) -> bool:
        """Records that the user is to be told about one availability change, once."""
        if change_key in self.alerts or not offers:
            return False
        self._alert_raised(change_key=change_key, tmdb_id=tmdb_id, title=title, offers=offers)
        return True

    @event(AvailabilityAlertRaised)
    def _alert_raised(
        self, change_key: str, tmdb_id: int, title: str | None, offers: list[dict[str, Any]]
    ) -> None:
        self.alerts[change_key] = True

    def pending_suggestions(self, at: datetime) -> str | None:
        """The request still being answered, if it was made recently enough to wait for."""
        pending = getattr(self, "pending_request", None)  # older snapshots have none
        if not pending or self.suggestions.get(pending[0]) != "pending":
            return None
        if at - datetime.fromisoformat(pending[1]) > PENDING_SUGGESTIONS_FRESH:
            return None
        return str(pending[0])

    def request_suggestions(self, request_id: str, at: datetime) -> str:
        """Asks for suggestions; while a recent request is pending, returns its id instead
        (repeated clicks cost one suggester call, not one each)."""
        pending = self.pending_suggestions(at)
        if pending is not None:
            return pending
        self._suggestions_requested(request_id=request_id, requested_at=at)
        return request_id

    @event(SuggestionsRequested)
    def _suggestions_requested(self, request_id: str, requested_at: datetime) -> None:
        self.suggestions[request_id] = "pending"
        self.pending_request = [request_id, requested_at.isoformat()]

    def record_suggestions(
        self, request_id: str, items: list[dict[str, Any]], source: str, note: str | None
    ) -> bool:
        if request_id not in self.suggestions:
            raise UnknownSuggestionRequest("no such suggestion request")
        if self.suggestions[request_id] != "pending":
            return False
        self._suggestions_made(request_id=request_id, items=items, source=source, note=note)
        return True

    @event(SuggestionsMade)
    def _suggestions_made(
        self, request_id: str, items: list[dict[str, Any]], source: str, note: str | None
    ) -> None:
        self.suggestions[request_id] = "ready"

    def give_feedback(
        self, title: str, year: int | None, tmdb_id: int | None, verdict: str, at: datetime
    ) -> bool:
        """Records what the person thinks of a pick; the next suggestions use it. The same
        verdict twice records nothing; a new one replaces the old."""
        title = " ".join(str(title).split())
        if verdict not in VERDICTS:
            raise InvalidInput(f"verdict must be one of {', '.join(VERDICTS)}")
        if not title or len(title) > MAX_PICK_TITLE:
            raise InvalidInput(f"a pick's title has 1 to {MAX_PICK_TITLE} characters")
        if tmdb_id is not None and tmdb_id <= 0:
            raise InvalidInput("tmdb_id must be a positive number")
        if year is not None and not 1870 <= year <= 2200:
            raise InvalidInput("year must be from 1870 to 2200")
        key = feedback_key(tmdb_id, title, year)
        if getattr(self, "feedback", {}).get(key) == verdict:  # older snapshots have none
            return False
        self._feedback_given(
            key=key, tmdb_id=tmdb_id, title=title, year=year, verdict=verdict, at=at
        )
        return True

    @event(SuggestionFeedbackGiven)
    def _feedback_given(
        self,
        key: str,
        tmdb_id: int | None,
        title: str,
        year: int | None,
        verdict: str,
        at: datetime,
    ) -> None:
        if not hasattr(self, "feedback"):  # a snapshot taken before feedback existed
            self.feedback = {}
        self.feedback[key] = verdict

    def issue_calendar_key(self, key_hash: str, at: datetime) -> None:
        """A new secret calendar feed URL; an earlier one stops working."""
        if not re.match(r"^[0-9a-f]{64}$", key_hash):
            raise InvalidInput("a calendar key is recorded as a SHA-256 hex digest")
        self._calendar_key_issued(key_hash=key_hash, at=at)

    @event(CalendarKeyIssued)
    def _calendar_key_issued(self, key_hash: str, at: datetime) -> None:
        self.calendar_key = key_hash

    def revoke_calendar_key(self, at: datetime) -> bool:
        if getattr(self, "calendar_key", None) is None:
            return False
        self._calendar_key_revoked(at=at)
        return True

    @event(CalendarKeyRevoked)
    def _calendar_key_revoked(self, at: datetime) -> None:
        self.calendar_key = None

    def _require(self, tmdb_id: int) -> dict[str, Any]:
        item = self.items.get(str(tmdb_id))
        if item is None:
            raise TitleNotOnList("this title is not on your watchlist")
        return item
