"""Availability alerts: which watchlists a change matters to, recorded once per change."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from application.myvod.base import MyVODBase
from domain.myvod.title import STREAMABLE
from domain.myvod.watchlist import Watchlist


class AlertUseCases(MyVODBase):
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
