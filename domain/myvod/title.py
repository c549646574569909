"""The Title aggregate: one per TMDB id, shared by every watchlist.

Metadata arrives once from TMDB (Enriched, or MarkedUnknown when TMDB has no such id).
Availability is a set of offers {region, service, type, url}; every check that changes it
records AvailabilityChanged with what was added and removed, so "became available on
netflix in PL" is a fact in the log. A check without change records AvailabilityChecked.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.myvod.ids import title_id_for
from domain.shared.errors import InvalidInput

OFFER_TYPES = ("stream", "free", "rent", "buy", "tve")
STREAMABLE = ("stream", "free")


def offer_key(offer: dict[str, Any]) -> str:
    return f"{offer['region']}:{offer['service']}:{offer['type']}"


def normalise_offers(offers: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """One offer per region/service/type (the first url wins), validated."""
    result: dict[str, dict[str, Any]] = {}
    for offer in offers:
        if offer.get("type") not in OFFER_TYPES:
            raise InvalidInput(f"unknown offer type {offer.get('type')!r}")
        clean = {
            "region": str(offer["region"]).upper(),
            "service": str(offer["service"]),
            "type": str(offer["type"]),
            "url": offer.get("url"),
        }
        result.setdefault(offer_key(clean), clean)
    return result


class Title(Aggregate):
    class Registered(Aggregate.Created):
        tmdb_id: int
        title_hint: str | None
        year_hint: int | None

    class Enriched(Aggregate.Event):
        title: str
        year: int | None
        poster_path: str | None
        poster_url: str | None
        overview: str
        genres: list[str]
        runtime: int | None

    class MarkedUnknown(Aggregate.Event):
        reason: str

    class AvailabilityChanged(Aggregate.Event):
        added: list[dict[str, Any]]
        removed: list[dict[str, Any]]
        watchmode_id: int | None
        checked_at: datetime
        initial: bool

    class AvailabilityChecked(Aggregate.Event):
        watchmode_id: int | None
        checked_at: datetime

    @event(Registered)
    def __init__(self, *, tmdb_id: int, title_hint: str | None, year_hint: int | None) -> None:
        self.tmdb_id = tmdb_id
        self.title = title_hint
        self.year = year_hint
        self.status = "pending"
        self.poster_path: str | None = None
        self.genres: list[str] = []
        self.offers: dict[str, dict[str, Any]] = {}
        self.checked_at: datetime | None = None
        self.watchmode_id: int | None = None

    @classmethod
    def create_id(cls, tmdb_id: int, **_: Any) -> UUID:
        return title_id_for(tmdb_id)

    @property
    def enriched(self) -> bool:
        return self.status != "pending"

    def enrich(
        self,
        *,
        title: str,
        year: int | None,
        poster_path: str | None,
        poster_url: str | None,
        overview: str,
        genres: list[str],
        runtime: int | None,
    ) -> bool:
        """Records TMDB's metadata once; later calls are no-ops (at-least-once delivery)."""
        if self.enriched:
            return False
        self._enriched(
            title=title,
            year=year,
            poster_path=poster_path,
            poster_url=poster_url,
            overview=overview,
            genres=list(genres),
            runtime=runtime,
        )
        return True

    @event(Enriched)
    def _enriched(
        self,
        title: str,
        year: int | None,
        poster_path: str | None,
        poster_url: str | None,
        overview: str,
        genres: list[str],
        runtime: int | None,
    ) -> None:
        self.status = "ready"
        self.title = title
        self.year = year
        self.poster_path = poster_path
        self.genres = list(genres)

    def mark_unknown(self, reason: str) -> bool:
        if self.enriched:
            return False
        self._marked_unknown(reason=reason)
        return True

    @event(MarkedUnknown)
    def _marked_unknown(self, reason: str) -> None:
        self.status = "unknown"

    def record_availability(
        self, offers: list[dict[str, Any]], watchmode_id: int | None, at: datetime
    ) -> str:
        """Compares a fresh list of offers with the known ones; returns "changed",
        "initial" or "unchanged"."""
        fresh = normalise_offers(offers)
        added = [fresh[k] for k in sorted(fresh.keys() - self.offers.keys())]
        removed = [self.offers[k] for k in sorted(self.offers.keys() - fresh.keys())]
        initial = self.checked_at is None
        if added or removed:
            self._availability_changed(
                added=added,
                removed=removed,
                watchmode_id=watchmode_id,
                checked_at=at,
                initial=initial,
            )
            return "initial" if initial else "changed"
        self._availability_checked(watchmode_id=watchmode_id, checked_at=at)
        return "unchanged"

    @event(AvailabilityChanged)
    def _availability_changed(
        self,
        added: list[dict[str, Any]],
        removed: list[dict[str, Any]],
        watchmode_id: int | None,
        checked_at: datetime,
        initial: bool,
    ) -> None:
        for offer in removed:
            self.offers.pop(offer_key(offer), None)
        for offer in added:
            self.offers[offer_key(offer)] = dict(offer)
        self.watchmode_id = watchmode_id
        self.checked_at = checked_at

    @event(AvailabilityChecked)
    def _availability_checked(self, watchmode_id: int | None, checked_at: datetime) -> None:
        self.watchmode_id = watchmode_id
        self.checked_at = checked_at
