"""SQL over the lists read model (never replaying aggregates)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from application.myvod.ports import PosterLinks
from application.myvod.queries import poster_link
from application.shared.queries import ReadModels


def lists_of(read: ReadModels, account_id: UUID) -> list[dict[str, Any]]:
    """The lists a person owns or edits with others, newest first."""
    return read.fetch_all(
        "SELECT l.list_id, l.name, l.created_at, l.owner_id = %(me)s AS owned,"
        " (SELECT COUNT(*) FROM read.myvod_list_items i WHERE i.list_id = l.list_id) AS count,"
        " (SELECT COUNT(*) FROM read.myvod_list_members m WHERE m.list_id = l.list_id)"
        "   AS members,"
        " EXISTS (SELECT 1 FROM app.myvod_list_shares s WHERE s.list_id = l.list_id) AS shared"
        " FROM read.myvod_lists l"
        " WHERE l.owner_id = %(me)s OR EXISTS (SELECT 1 FROM read.myvod_list_members m"
        "   WHERE m.list_id = l.list_id AND m.account_id = %(me)s)"
        " ORDER BY l.created_at DESC, l.list_id",
        {"me": account_id},
    )


def owned_count(read: ReadModels, account_id: UUID) -> int:
    row = read.fetch_one(
        "SELECT COUNT(*) AS n FROM read.myvod_lists WHERE owner_id = %s", (account_id,)
    )
    return int(row["n"]) if row else 0


def list_items(
    read: ReadModels, list_id: UUID, posters: PosterLinks | None = None
) -> list[dict[str, Any]]:
    rows = read.fetch_all(
        "SELECT i.tmdb_id, i.rank, i.tags, i.added_at, t.title, t.year, t.poster_path,"
        " t.poster_url, COALESCE(t.status, 'pending') AS metadata"
        " FROM read.myvod_list_items i LEFT JOIN read.myvod_titles t ON t.title_id = i.title_id"
        " WHERE i.list_id = %s ORDER BY i.rank, i.tmdb_id",
        (list_id,),
    )
    for row in rows:
        row["poster_url"] = poster_link(posters, row.pop("poster_path"), row["poster_url"])
    return rows


def list_head(read: ReadModels, list_id: UUID) -> dict[str, Any] | None:
    head = read.fetch_one(
        "SELECT l.list_id, l.name, l.owner_id, l.created_at,"
        " EXISTS (SELECT 1 FROM app.myvod_list_shares s WHERE s.list_id = l.list_id) AS shared"
        " FROM read.myvod_lists l WHERE l.list_id = %s",
        (list_id,),
    )
    if head is None:
        return None
    head["members"] = [
        r["account_id"]
        for r in read.fetch_all(
            "SELECT account_id FROM read.myvod_list_members WHERE list_id = %s ORDER BY account_id",
            (list_id,),
        )
    ]
    return head


def shared_list(
    read: ReadModels, secret_hash: str, posters: PosterLinks | None = None
) -> dict[str, Any] | None:
    """What a share link shows: the list's name and its titles, nothing about people."""
    row = read.fetch_one(
        "SELECT l.list_id, l.name FROM app.myvod_list_shares s"
        " JOIN read.myvod_lists l ON l.list_id = s.list_id WHERE s.secret_hash = %s",
        (secret_hash,),
    )
    if row is None:
        return None
    items = [
        {k: i[k] for k in ("tmdb_id", "rank", "tags", "title", "year", "poster_url")}
        for i in list_items(read, row["list_id"], posters)
    ]
    return {"name": row["name"], "items": items}


def titles_on_lists(read: ReadModels, account_id: UUID) -> list[dict[str, Any]]:
    """Every title on a list the person owns or edits (suggestions never repeat them)."""
    return read.fetch_all(
        "SELECT DISTINCT i.tmdb_id, t.title, t.year FROM read.myvod_list_items i"
        " JOIN read.myvod_lists l ON l.list_id = i.list_id"
        " LEFT JOIN read.myvod_titles t ON t.title_id = i.title_id"
        " WHERE l.owner_id = %(me)s OR EXISTS (SELECT 1 FROM read.myvod_list_members m"
        "   WHERE m.list_id = l.list_id AND m.account_id = %(me)s)",
        {"me": account_id},
    )
