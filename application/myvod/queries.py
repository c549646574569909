"""myvod queries: SQL over the read models (never replaying aggregates)."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import timedelta
from typing import Any
from uuid import UUID

from application.myvod.ports import PosterLinks
from application.shared.queries import ReadModels
from domain.myvod.ids import watchlist_id_for
from domain.myvod.posters import poster_path_of
from domain.myvod.title import STREAMABLE
from domain.myvod.watchlist import feedback_key

PROJECTION = "myvod_views"
NEW_FOR = timedelta(days=7)
"""How long a title that arrived on one of your services (an alert was raised: not its first
availability check) wears the "new" ribbon."""


def poster_link(
    posters: PosterLinks | None, poster_path: str | None, poster_url: str | None
) -> str | None:
    """A poster's URL as served now, from its stored path (or the path inside an old
    absolute URL); the stored URL when the image base cannot be learnt."""
    path = poster_path_of(poster_path, poster_url)
    if posters is not None and path:
        return posters.poster_url(path) or poster_url
    return poster_url


def watchlist_view(
    read: ReadModels,
    account_id: UUID,
    available_only: bool = False,
    posters: PosterLinks | None = None,
) -> dict[str, Any]:
    watchlist_id = watchlist_id_for(account_id)
    head = read.fetch_one(
        "SELECT region, services FROM read.myvod_watchlists WHERE watchlist_id = %s",
        (watchlist_id,),
    )
    region = head["region"] if head else None
    services = list(head["services"] or []) if head else []
    rows = read.fetch_all(
        "SELECT i.tmdb_id, i.title_id, i.status, i.rating, i.added_at, i.watched_at,"
        " t.title, t.year, t.poster_path, t.poster_url, t.overview, t.genres,"
        " t.status AS metadata,"
        " t.checked_at, n.note"
        " FROM read.myvod_items i"
        " LEFT JOIN read.myvod_titles t ON t.title_id = i.title_id"
        " LEFT JOIN app.myvod_notes n ON n.watchlist_id = i.watchlist_id AND n.tmdb_id = i.tmdb_id"
        " WHERE i.watchlist_id = %s ORDER BY i.added_at DESC, i.tmdb_id",
        (watchlist_id,),
    )
    offers: dict[UUID, list[dict[str, Any]]] = defaultdict(list)
    alerted = {
        r["tmdb_id"]
        for r in read.fetch_all(
            "SELECT DISTINCT tmdb_id FROM read.myvod_alerts WHERE watchlist_id = %s"
            " AND raised_at > now() - make_interval(secs => %s)",
            (watchlist_id, NEW_FOR.total_seconds()),
        )
    }
    if rows:
        for offer in read.fetch_all(
            "SELECT title_id, region, service, type, url FROM read.myvod_offers"
            " WHERE title_id = ANY(%s) AND (%s::text IS NULL OR region = %s)"
            " ORDER BY region, service, type",
            ([r["title_id"] for r in rows], region, region),
        ):
            offers[offer.pop("title_id")].append(offer)
    items = []
    for row in rows:
        availability = offers.get(row["title_id"], [])
        if available_only and not any(
            o["type"] in STREAMABLE and o["service"] in services for o in availability
        ):
            continue
        items.append(
            {
                "tmdb_id": row["tmdb_id"],
                "title": row["title"],
                "year": row["year"],
                "poster_url": poster_link(posters, row["poster_path"], row["poster_url"]),
                "status": row["status"],
                "rating": row["rating"],
                "added_at": row["added_at"],
                "watched_at": row["watched_at"],
                "note": row["note"],
                "metadata": row["metadata"] or "pending",
                "availability_checked_at": row["checked_at"],
                "genres": list(row["genres"] or []),
                "availability": availability,
                "new": row["tmdb_id"] in alerted,
            }
        )
    return {"region": region, "services": services, "items": items}


def watchlist_item(
    read: ReadModels, account_id: UUID, tmdb_id: int, posters: PosterLinks | None = None
) -> dict[str, Any] | None:
    view = watchlist_view(read, account_id, posters=posters)
    return next((i for i in view["items"] if i["tmdb_id"] == tmdb_id), None)


def suggestions_view(
    read: ReadModels, account_id: UUID, posters: PosterLinks | None = None
) -> dict[str, Any]:
    row = read.fetch_one(
        "SELECT request_id, status, items, source, note, requested_at, answered_at"
        " FROM read.myvod_suggestions WHERE watchlist_id = %s",
        (watchlist_id_for(account_id),),
    )
    if row is None:
        return {"status": "none", "items": [], "source": None, "offline": False, "note": None}
    items = row["items"] if isinstance(row["items"], list) else json.loads(row["items"])
    verdicts = {
        f["key"]: f["verdict"]
        for f in read.fetch_all(
            "SELECT key, verdict FROM read.myvod_suggestion_feedback WHERE watchlist_id = %s",
            (watchlist_id_for(account_id),),
        )
    }
    items = [
        {
            **{k: v for k, v in i.items() if k != "poster_path"},
            "poster_url": poster_link(posters, i.get("poster_path"), i.get("poster_url")),
            "feedback": verdicts.get(feedback_key(i.get("tmdb_id"), i["title"], i.get("year"))),
        }
        for i in items
    ]
    return {
        "status": row["status"],
        "request_id": row["request_id"],
        "items": items,
        "source": row["source"],
        "offline": row["source"] == "offline",
        "note": row["note"],
        "requested_at": row["requested_at"],
        "answered_at": row["answered_at"],
    }


def due_for_refresh(
    read: ReadModels, older_than_seconds: float, limit: int
) -> list[dict[str, Any]]:
    """Titles on anyone's list whose availability is oldest (never-checked ones first once
    their own first check had time to run)."""
    return read.fetch_all(
        "SELECT t.title_id, t.tmdb_id, t.status FROM read.myvod_titles t"
        " WHERE t.status <> 'unknown'"
        " AND EXISTS (SELECT 1 FROM read.myvod_items i WHERE i.title_id = t.title_id)"
        " AND COALESCE(t.checked_at, t.registered_at)"
        "     < now() - make_interval(secs => %s)"
        " ORDER BY t.checked_at NULLS FIRST, t.tmdb_id LIMIT %s",
        (older_than_seconds, limit),
    )


def title_view(
    read: ReadModels, tmdb_id: int, posters: PosterLinks | None = None
) -> dict[str, Any] | None:
    """A title as the catalogue knows it: metadata, every offer, and the history of changes
    (the initial check included), newest first."""
    row = read.fetch_one(
        "SELECT title_id, tmdb_id, title, year, poster_path, poster_url, overview, genres,"
        " runtime,"
        " status AS metadata, checked_at AS availability_checked_at"
        " FROM read.myvod_titles WHERE tmdb_id = %s",
        (tmdb_id,),
    )
    if row is None:
        return None
    title_id = row.pop("title_id")
    row["poster_url"] = poster_link(posters, row.pop("poster_path"), row["poster_url"])
    row["genres"] = list(row["genres"] or [])
    row["availability"] = read.fetch_all(
        "SELECT region, service, type, url, since FROM read.myvod_offers WHERE title_id = %s"
        " ORDER BY region, service, type",
        (title_id,),
    )
    row["history"] = read.fetch_all(
        "SELECT at, change, region, service, type FROM read.myvod_availability_changes"
        " WHERE title_id = %s ORDER BY at DESC, change, region, service, type LIMIT 500",
        (title_id,),
    )
    return row


def alerts_view(
    read: ReadModels, account_id: UUID, limit: int = 200, posters: PosterLinks | None = None
) -> list[dict[str, Any]]:
    """The alerts raised for a watchlist, one item per offer, newest first."""
    rows = read.fetch_all(
        "SELECT a.tmdb_id, a.offers, a.raised_at, t.title, t.poster_path, t.poster_url"
        " FROM read.myvod_alerts a"
        " LEFT JOIN read.myvod_titles t ON t.tmdb_id = a.tmdb_id"
        " WHERE a.watchlist_id = %s ORDER BY a.raised_at DESC LIMIT %s",
        (watchlist_id_for(account_id), limit),
    )
    items = []
    for row in rows:
        offers = row["offers"] if isinstance(row["offers"], list) else json.loads(row["offers"])
        poster = poster_link(posters, row["poster_path"], row["poster_url"])
        for offer in offers:
            items.append(
                {
                    "tmdb_id": row["tmdb_id"],
                    "title": row["title"],
                    "poster_url": poster,
                    "service": offer["service"],
                    "type": offer["type"],
                    "region": offer["region"],
                    "url": offer.get("url"),
                    "at": row["raised_at"],
                }
            )
    return items[:limit]


def wanted_offers(
    read: ReadModels, account_id: UUID, posters: PosterLinks | None = None
) -> dict[str, Any]:
    """The titles still to watch, each with the services it streams on (stream or free)
    in the person's region: what the subscription planner plans for."""
    watchlist_id = watchlist_id_for(account_id)
    head = read.fetch_one(
        "SELECT region, services FROM read.myvod_watchlists WHERE watchlist_id = %s",
        (watchlist_id,),
    )
    region = head["region"] if head else None
    rows = read.fetch_all(
        "SELECT i.tmdb_id, t.title, t.year, t.poster_path, t.poster_url,"
        " COALESCE(array_agg(DISTINCT o.service) FILTER (WHERE o.service IS NOT NULL),"
        " '{}') AS services"
        " FROM read.myvod_items i"
        " LEFT JOIN read.myvod_titles t ON t.title_id = i.title_id"
        " LEFT JOIN read.myvod_offers o ON o.title_id = i.title_id AND o.region = %s"
        " AND o.type = ANY(%s)"
        " WHERE i.watchlist_id = %s AND i.status = 'to_watch'"
        " GROUP BY i.tmdb_id, t.title, t.year, t.poster_path, t.poster_url ORDER BY i.tmdb_id",
        (region, list(STREAMABLE), watchlist_id),
    )
    return {
        "region": region,
        "services": list(head["services"] or []) if head else [],
        "titles": [
            {
                **{k: v for k, v in r.items() if k != "poster_path"},
                "poster_url": poster_link(posters, r["poster_path"], r["poster_url"]),
                "services": sorted(r["services"]),
            }
            for r in rows
        ],
    }
