"""myvod read models, kept by one projection so the watchlist, titles and offers always
agree with one position.

read.myvod_watchlists / myvod_items / myvod_titles / myvod_offers / myvod_suggestions /
myvod_alerts hold pseudonymous ids only (account ids are keyed hashes); private notes live in
app.myvod_notes, outside what analysts see.
"""

from __future__ import annotations

import json
from functools import singledispatchmethod
from typing import Any

from application.myvod.list_views import ListViews
from application.shared.ports import Cursor
from application.shared.projection import Position, Projection
from domain.myvod.title import Title
from domain.myvod.watchlist import Watchlist


class WatchlistViews(Projection):
    name = "myvod_views"
    applications = ("myvod",)
    tables = (
        "read.myvod_watchlists",
        "read.myvod_items",
        "read.myvod_titles",
        "read.myvod_offers",
        "read.myvod_suggestions",
        "read.myvod_suggestion_feedback",
        "app.myvod_calendar_keys",
        "read.myvod_alerts",
        "read.myvod_availability_changes",
        "app.myvod_notes",
    )

    @singledispatchmethod
    def apply(self, event: Any, cursor: Cursor, position: Position) -> None:
        pass

    @apply.register
    def _(self, event: Watchlist.Started, cursor: Cursor, position: Position) -> None:
        cursor.execute(
            "INSERT INTO read.myvod_watchlists (watchlist_id, account_id, services, started_at)"
            " VALUES (%s, %s, '{}', %s) ON CONFLICT DO NOTHING",
            (event.originator_id, event.account_id, event.timestamp),
        )

    @apply.register
    def _(self, event: Watchlist.TitleAdded, cursor: Cursor, position: Position) -> None:
        cursor.execute(
            "INSERT INTO read.myvod_items (watchlist_id, tmdb_id, title_id, status, added_at,"
            " source) VALUES (%s, %s, %s, 'to_watch', %s, %s) ON CONFLICT DO NOTHING",
            (event.originator_id, event.tmdb_id, event.title_id, event.added_at, event.source),
        )

    @apply.register
    def _(self, event: Watchlist.TitleRemoved, cursor: Cursor, position: Position) -> None:
        cursor.execute(
            "DELETE FROM read.myvod_items WHERE watchlist_id = %s AND tmdb_id = %s",
            (event.originator_id, event.tmdb_id),
        )
        cursor.execute(
            "DELETE FROM app.myvod_notes WHERE watchlist_id = %s AND tmdb_id = %s",
            (event.originator_id, event.tmdb_id),
        )

    @apply.register
    def _(self, event: Watchlist.TitleWatched, cursor: Cursor, position: Position) -> None:
        cursor.execute(
            "UPDATE read.myvod_items SET status = 'watched', rating = %s, watched_at = %s"
            " WHERE watchlist_id = %s AND tmdb_id = %s",
            (event.rating, event.watched_at, event.originator_id, event.tmdb_id),
        )

    @apply.register
    def _(self, event: Watchlist.NoteWritten, cursor: Cursor, position: Position) -> None:
        cursor.execute(
            "INSERT INTO app.myvod_notes (watchlist_id, tmdb_id, note) VALUES (%s, %s, %s)"
            " ON CONFLICT (watchlist_id, tmdb_id) DO UPDATE SET note = EXCLUDED.note",
            (event.originator_id, event.tmdb_id, event.note or None),
        )

    @apply.register
    def _(self, event: Watchlist.ServicesChosen, cursor: Cursor, position: Position) -> None:
        cursor.execute(
            "UPDATE read.myvod_watchlists SET region = %s, services = %s WHERE watchlist_id = %s",
            (event.region, list(event.services), event.originator_id),
        )

    @apply.register
    def _(
        self, event: Watchlist.AvailabilityAlertRaised, cursor: Cursor, position: Position
    ) -> None:
        cursor.execute(
            "INSERT INTO read.myvod_alerts (watchlist_id, change_key, tmdb_id, offers, raised_at)"
            " VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
            (
                event.originator_id,
                event.change_key,
                event.tmdb_id,
                json.dumps(event.offers),
                event.timestamp,
            ),
        )

    @apply.register
    def _(self, event: Watchlist.SuggestionsRequested, cursor: Cursor, position: Position) -> None:
        cursor.execute(
            "INSERT INTO read.myvod_suggestions (watchlist_id, request_id, status, items,"
            " requested_at) VALUES (%s, %s, 'pending', '[]', %s) ON CONFLICT (watchlist_id)"
            " DO UPDATE SET request_id = EXCLUDED.request_id, status = 'pending', items = '[]',"
            " source = NULL, note = NULL, requested_at = EXCLUDED.requested_at,"
            " answered_at = NULL",
            (event.originator_id, event.request_id, event.requested_at),
        )

    @apply.register
    def _(self, event: Watchlist.SuggestionsMade, cursor: Cursor, position: Position) -> None:
        cursor.execute(
            "UPDATE read.myvod_suggestions SET status = 'ready', items = %s, source = %s,"
            " note = %s, answered_at = %s WHERE watchlist_id = %s AND request_id = %s",
            (
                json.dumps(event.items),
                event.source,
                event.note,
                event.timestamp,
                event.originator_id,
                event.request_id,
            ),
        )

    @apply.register
    def _(
        self, event: Watchlist.SuggestionFeedbackGiven, cursor: Cursor, position: Position
    ) -> None:
        cursor.execute(
            "INSERT INTO read.myvod_suggestion_feedback (watchlist_id, key, tmdb_id, title,"
            " year, verdict, given_at) VALUES (%s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (watchlist_id, key) DO UPDATE SET verdict = EXCLUDED.verdict,"
            " given_at = EXCLUDED.given_at",
            (
                event.originator_id,
                event.key,
                event.tmdb_id,
                event.title,
                event.year,
                event.verdict,
                event.at,
            ),
        )

    @apply.register
    def _(self, event: Watchlist.CalendarKeyIssued, cursor: Cursor, position: Position) -> None:
        cursor.execute(
            "INSERT INTO app.myvod_calendar_keys (key_hash, watchlist_id, issued_at)"
            " VALUES (%s, %s, %s) ON CONFLICT (watchlist_id) DO UPDATE"
            " SET key_hash = EXCLUDED.key_hash, issued_at = EXCLUDED.issued_at",
            (event.key_hash, event.originator_id, event.at),
        )

    @apply.register
    def _(self, event: Watchlist.CalendarKeyRevoked, cursor: Cursor, position: Position) -> None:
        cursor.execute(
            "DELETE FROM app.myvod_calendar_keys WHERE watchlist_id = %s", (event.originator_id,)
        )

    @apply.register
    def _(self, event: Title.Registered, cursor: Cursor, position: Position) -> None:
        cursor.execute(
            "INSERT INTO read.myvod_titles (title_id, tmdb_id, title, year, status,"
            " registered_at) VALUES (%s, %s, %s, %s, 'pending', %s) ON CONFLICT DO NOTHING",
            (
                event.originator_id,
                event.tmdb_id,
                event.title_hint,
                event.year_hint,
                event.timestamp,
            ),
        )

    @apply.register
    def _(self, event: Title.Enriched, cursor: Cursor, position: Position) -> None:
        cursor.execute(
            "UPDATE read.myvod_titles SET status = 'ready', title = %s, year = %s,"
            " poster_path = %s, poster_url = %s, overview = %s, genres = %s, runtime = %s"
            " WHERE title_id = %s",
            (
                event.title,
                event.year,
                event.poster_path,
                event.poster_url,
                event.overview,
                list(event.genres),
                event.runtime,
                event.originator_id,
            ),
        )

    @apply.register
    def _(self, event: Title.MarkedUnknown, cursor: Cursor, position: Position) -> None:
        cursor.execute(
            "UPDATE read.myvod_titles SET status = 'unknown' WHERE title_id = %s",
            (event.originator_id,),
        )

    @apply.register
    def _(self, event: Title.AvailabilityChanged, cursor: Cursor, position: Position) -> None:
        for offer in event.removed:
            cursor.execute(
                "DELETE FROM read.myvod_offers WHERE title_id = %s AND region = %s"
                " AND service = %s AND type = %s",
                (event.originator_id, offer["region"], offer["service"], offer["type"]),
            )
        for change, offers in (("removed", event.removed), ("added", event.added)):
            for offer in offers:
                cursor.execute(
                    "INSERT INTO read.myvod_availability_changes (title_id, at, change, region,"
                    " service, type) VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                    (
                        event.originator_id,
                        event.checked_at,
                        change,
                        offer["region"],
                        offer["service"],
                        offer["type"],
                    ),
                )
        for offer in event.added:
            cursor.execute(
                "INSERT INTO read.myvod_offers (title_id, region, service, type, url, since)"
                " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                (
                    event.originator_id,
                    offer["region"],
                    offer["service"],
                    offer["type"],
                    offer.get("url"),
                    event.checked_at,
                ),
            )
        self._checked(event, cursor)

    @apply.register
    def _(self, event: Title.AvailabilityChecked, cursor: Cursor, position: Position) -> None:
        self._checked(event, cursor)

    @staticmethod
    def _checked(event: Any, cursor: Cursor) -> None:
        cursor.execute(
            "UPDATE read.myvod_titles SET checked_at = %s, watchmode_id = %s WHERE title_id = %s",
            (event.checked_at, event.watchmode_id, event.originator_id),
        )


PROJECTIONS: list[type[Projection]] = [WatchlistViews, ListViews]
