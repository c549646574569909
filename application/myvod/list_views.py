"""The lists read model (projection `myvod_lists`): lists, their ranked and tagged titles,
household members (pseudonymous account ids), and share links' hashes (app.*, never read.*).
Title metadata comes from read.myvod_titles (the myvod_views projection) at query time."""

from __future__ import annotations

from functools import singledispatchmethod
from typing import Any

from application.shared.ports import Cursor
from application.shared.projection import Position, Projection
from domain.myvod.lists import TitleList

PROJECTION = "myvod_lists"


class ListViews(Projection):
    name = PROJECTION
    applications = ("myvod",)
    tables = (
        "read.myvod_lists",
        "read.myvod_list_items",
        "read.myvod_list_members",
        "app.myvod_list_shares",
    )

    @singledispatchmethod
    def apply(self, event: Any, cursor: Cursor, position: Position) -> None:
        pass

    @apply.register
    def _(self, event: TitleList.Created, cursor: Cursor, position: Position) -> None:
        cursor.execute(
            "INSERT INTO read.myvod_lists (list_id, owner_id, name, created_at)"
            " VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
            (event.originator_id, event.owner_id, event.name, event.created_at),
        )

    @apply.register
    def _(self, event: TitleList.Renamed, cursor: Cursor, position: Position) -> None:
        cursor.execute(
            "UPDATE read.myvod_lists SET name = %s WHERE list_id = %s",
            (event.name, event.originator_id),
        )

    @apply.register
    def _(self, event: TitleList.Deleted, cursor: Cursor, position: Position) -> None:
        for table in self.tables:
            cursor.execute(f"DELETE FROM {table} WHERE list_id = %s", (event.originator_id,))

    @apply.register
    def _(self, event: TitleList.TitleListed, cursor: Cursor, position: Position) -> None:
        cursor.execute(
            "INSERT INTO read.myvod_list_items (list_id, tmdb_id, title_id, rank, added_at)"
            " SELECT %s, %s, %s, COUNT(*), %s FROM read.myvod_list_items WHERE list_id = %s"
            " ON CONFLICT DO NOTHING",
            (
                event.originator_id,
                event.tmdb_id,
                event.title_id,
                event.at,
                event.originator_id,
            ),
        )

    @apply.register
    def _(self, event: TitleList.TitleUnlisted, cursor: Cursor, position: Position) -> None:
        cursor.execute(
            "WITH gone AS (DELETE FROM read.myvod_list_items WHERE list_id = %s AND tmdb_id = %s"
            " RETURNING rank)"
            " UPDATE read.myvod_list_items SET rank = rank - 1"
            " WHERE list_id = %s AND rank > (SELECT rank FROM gone)",
            (event.originator_id, event.tmdb_id, event.originator_id),
        )

    @apply.register
    def _(self, event: TitleList.TitleMoved, cursor: Cursor, position: Position) -> None:
        # every other title between the old and the new place shifts by one
        cursor.execute(
            "WITH old AS (SELECT rank FROM read.myvod_list_items"
            " WHERE list_id = %(list)s AND tmdb_id = %(tmdb)s)"
            " UPDATE read.myvod_list_items SET rank = CASE"
            " WHEN tmdb_id = %(tmdb)s THEN %(to)s"
            " WHEN rank < (SELECT rank FROM old) THEN rank + 1"
            " ELSE rank - 1 END"
            " WHERE list_id = %(list)s AND (tmdb_id = %(tmdb)s OR rank BETWEEN"
            " LEAST((SELECT rank FROM old), %(to)s) AND GREATEST((SELECT rank FROM old), %(to)s))",
            {"list": event.originator_id, "tmdb": event.tmdb_id, "to": event.position},
        )

    @apply.register
    def _(self, event: TitleList.TitleTagged, cursor: Cursor, position: Position) -> None:
        cursor.execute(
            "UPDATE read.myvod_list_items SET tags = %s WHERE list_id = %s AND tmdb_id = %s",
            (list(event.tags), event.originator_id, event.tmdb_id),
        )

    @apply.register
    def _(self, event: TitleList.MemberAdded, cursor: Cursor, position: Position) -> None:
        cursor.execute(
            "INSERT INTO read.myvod_list_members (list_id, account_id) VALUES (%s, %s)"
            " ON CONFLICT DO NOTHING",
            (event.originator_id, event.account_id),
        )

    @apply.register
    def _(self, event: TitleList.MemberRemoved, cursor: Cursor, position: Position) -> None:
        cursor.execute(
            "DELETE FROM read.myvod_list_members WHERE list_id = %s AND account_id = %s",
            (event.originator_id, event.account_id),
        )

    @apply.register
    def _(self, event: TitleList.ShareLinkIssued, cursor: Cursor, position: Position) -> None:
        cursor.execute(
            "INSERT INTO app.myvod_list_shares (secret_hash, list_id, shared_at)"
            " VALUES (%s, %s, %s) ON CONFLICT (list_id) DO UPDATE"
            " SET secret_hash = EXCLUDED.secret_hash, shared_at = EXCLUDED.shared_at",
            (event.secret_hash, event.originator_id, event.at),
        )

    @apply.register
    def _(self, event: TitleList.ShareLinkRevoked, cursor: Cursor, position: Position) -> None:
        cursor.execute(
            "DELETE FROM app.myvod_list_shares WHERE list_id = %s", (event.originator_id,)
        )
