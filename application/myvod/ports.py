"""Ports MyVOD needs from the outside world; infrastructure/adapters implements them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


class UpstreamUnavailable(Exception):
    """A vendor answered 429/5xx or timed out: retry later (after `retry_after` seconds
    when the vendor said so)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class UpstreamRefused(Exception):
    """A vendor refused the request for good (bad key, over quota, bad request)."""


@dataclass(frozen=True)
class SearchHit:
    tmdb_id: int
    title: str
    year: int | None
    poster_url: str | None
    poster_path: str | None = None
    """What to store: the URL is built again when read (domain/myvod/posters.py)."""


@dataclass(frozen=True)
class TitleDetails:
    tmdb_id: int
    title: str
    year: int | None
    poster_path: str | None
    poster_url: str | None
    overview: str
    genres: list[str]
    runtime: int | None


@dataclass(frozen=True)
class Availability:
    watchmode_id: int | None
    offers: list[dict[str, Any]]
    """[{region, service, type, url}] with type in stream/free/rent/buy/tve."""


@dataclass(frozen=True)
class Suggestion:
    title: str
    year: int | None
    reason: str


@dataclass(frozen=True)
class Suggestions:
    items: list[Suggestion]
    source: str
    """"gemini" or "offline"."""
    note: str | None = None


@dataclass(frozen=True)
class TasteProfile:
    """What the suggester knows about a user: titles with status, rating and genres; what
    they said of earlier picks ({title, year, verdict}: liked, seen, not_interested); and
    titles never to suggest (on one of their lists, or picks they gave a verdict on)."""

    titles: list[dict[str, Any]] = field(default_factory=list)
    feedback: list[dict[str, Any]] = field(default_factory=list)
    avoid: list[str] = field(default_factory=list)


class PosterLinks(Protocol):
    """Where a stored poster path is served today (TMDB's image base + a size)."""

    def poster_url(self, poster_path: str | None) -> str | None:
        """None when there is no path or the image base cannot be learnt right now."""
        ...


class MovieCatalogue(PosterLinks, Protocol):
    """TMDB."""

    def search(self, query: str, year: int | None = None) -> list[SearchHit]: ...

    def details(self, tmdb_id: int) -> TitleDetails | None:
        """None when TMDB has no such id."""
        ...

    def find_imdb(self, imdb_id: str) -> SearchHit | None:
        """The film with this IMDb id (tt...), or None."""
        ...


@dataclass(frozen=True)
class StreamingService:
    service: str
    """The slug users choose (e.g. "netflix")."""
    name: str
    type: str
    regions: list[str]
    logo_url: str | None = None


class AvailabilitySource(Protocol):
    """Watchmode."""

    def availability(self, tmdb_id: int, watchmode_id: int | None) -> Availability: ...

    def services(self, region: str | None) -> list[StreamingService]: ...


class Suggester(Protocol):
    def suggest(self, profile: TasteProfile, count: int) -> Suggestions: ...


class SearchCache(Protocol):
    """Catalogue answers kept for a while, so repeated searches cost no vendor call."""

    def fresh(self, query: str, max_age_seconds: float) -> list[dict[str, Any]] | None:
        """The results stored for this query if younger than `max_age_seconds`."""
        ...

    def store(self, query: str, results: list[dict[str, Any]]) -> None: ...
