"""Matching an imported row to a TMDB film: by IMDb id first, then by title and year.

A row matches when its IMDb id is found, or when exactly one film has its title (compared
without case, accents or punctuation) and its year (give or take one: release dates differ
between countries). Otherwise it is unmatched, with the films it may be as candidates."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, time

from application.myvod.importing import ImportRow
from application.myvod.ports import MovieCatalogue, SearchHit

MAX_CANDIDATES = 5


def normalised(title: str) -> str:
    text = unicodedata.normalize("NFKD", title.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("&", "and")
    return " ".join("".join(c if c.isalnum() else " " for c in text).split())


def _close_year(hit: SearchHit, year: int | None) -> bool:
    return year is None or hit.year is None or abs(hit.year - year) <= 1


def match_row(
    catalogue: MovieCatalogue, row: ImportRow
) -> tuple[SearchHit | None, list[SearchHit]]:
    """Returns (the film, []) or (None, candidates)."""
    if row.imdb_id:
        found = catalogue.find_imdb(row.imdb_id)
        if found is not None:
            return found, []
    wanted = normalised(row.title)
    hits = catalogue.search(row.title, row.year) if row.year else []
    if not hits:
        hits = catalogue.search(row.title)
    same_title = [h for h in hits if normalised(h.title) == wanted]
    exact = [h for h in same_title if h.year == row.year] if row.year else []
    close = exact or [h for h in same_title if _close_year(h, row.year)]
    if len(close) == 1 or (close and exact):
        return close[0], []
    return None, (close or same_title or hits)[:MAX_CANDIDATES]


def watched_moment(row: ImportRow) -> datetime | None:
    """Noon UTC of the exported watched date (a date has no time of day)."""
    if row.watched_on is None:
        return None
    return datetime.combine(row.watched_on, time(12), tzinfo=UTC)
