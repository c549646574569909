"""The release calendar as an iCal feed at a secret URL: when each title on my lists arrived
to stream in my region (from the availability history). The key is returned once; only its
SHA-256 is recorded."""

from __future__ import annotations

import secrets
from datetime import UTC
from typing import Any
from uuid import UUID

from application.myvod.base import MyVODBase
from domain.myvod.lists import share_hash
from domain.myvod.title import STREAMABLE
from domain.shared.errors import NotFound

MAX_EVENTS = 500


class UnknownCalendarKey(NotFound):
    pass


def _text(value: str) -> str:
    """RFC 5545 TEXT: backslash, semicolon, comma and newlines escaped."""
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Content lines longer than 75 octets continue on lines starting with a space."""
    out: list[str] = []
    current = b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode())
            current = b""
        current += encoded
    out.append(current.decode())
    return "\r\n ".join(out)


def ical(name: str, events: list[dict[str, Any]]) -> str:
    """A VCALENDAR of all-day events: {uid, date, at, summary, description, url?}."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Kairos//MyVOD calendar//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_text(name)}",
    ]
    for e in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{e['uid']}",
            f"DTSTAMP:{e['at'].astimezone(UTC).strftime('%Y%m%dT%H%M%SZ')}",
            f"DTSTART;VALUE=DATE:{e['date'].strftime('%Y%m%d')}",
            f"SUMMARY:{_text(e['summary'])}",
            f"DESCRIPTION:{_text(e['description'])}",
        ]
        if e.get("url"):
            lines.append(f"URL:{e['url']}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


class CalendarUseCases(MyVODBase):
    def issue_calendar_key(self, account_id: UUID) -> tuple[str, int]:
        """A new secret feed key (the old one stops working), returned this once."""
        key = secrets.token_urlsafe(32)

        def attempt() -> int:
            watchlist = self._watchlist(account_id)
            watchlist.issue_calendar_key(share_hash(key), self.clock())
            return self.save_and_position(watchlist)

        return key, self._retrying(attempt)

    def revoke_calendar_key(self, account_id: UUID) -> int:
        def attempt() -> int:
            watchlist = self._watchlist(account_id)
            if not watchlist.revoke_calendar_key(self.clock()):
                return 0
            return self.save_and_position(watchlist)

        return self._retrying(attempt)

    def calendar_feed(self, key: str) -> str:
        """The feed behind a key: streaming arrivals of the titles on the person's lists."""
        read = self._read()
        owner = read.fetch_one(
            "SELECT w.watchlist_id, w.account_id, w.region, w.services"
            " FROM app.myvod_calendar_keys k"
            " JOIN read.myvod_watchlists w ON w.watchlist_id = k.watchlist_id"
            " WHERE k.key_hash = %s",
            (share_hash(key),),
        )
        if owner is None:
            raise UnknownCalendarKey("this calendar link does not work (it may be revoked)")
        rows = read.fetch_all(
            "WITH mine AS ("
            "  SELECT title_id FROM read.myvod_items WHERE watchlist_id = %(w)s"
            "  UNION SELECT i.title_id FROM read.myvod_list_items i"
            "  JOIN read.myvod_lists l ON l.list_id = i.list_id WHERE l.owner_id = %(a)s"
            "  OR EXISTS (SELECT 1 FROM read.myvod_list_members m"
            "    WHERE m.list_id = l.list_id AND m.account_id = %(a)s))"
            " SELECT c.title_id, c.at, c.region, c.service, c.type, t.title, t.year, t.tmdb_id"
            " FROM read.myvod_availability_changes c JOIN mine USING (title_id)"
            " JOIN read.myvod_titles t ON t.title_id = c.title_id"
            " WHERE c.change = 'added' AND c.type = ANY(%(types)s)"
            " AND (%(region)s::text IS NULL OR c.region = %(region)s)"
            " ORDER BY c.at DESC, c.title_id, c.service LIMIT %(limit)s",
            {
                "w": owner["watchlist_id"],
                "a": owner["account_id"],
                "types": list(STREAMABLE),
                "region": owner["region"],
                "limit": MAX_EVENTS,
            },
        )
        services = set(owner["services"] or [])
        events = []
        for r in rows:
            title = r["title"] or f"Film #{r['tmdb_id']}"
            yours = " (one of your services)" if r["service"] in services else ""
            how = "free" if r["type"] == "free" else "streaming"
            events.append(
                {
                    "uid": f"{r['title_id']}-{r['region']}-{r['service']}-{r['type']}-"
                    f"{r['at']:%Y%m%d}@kairos",
                    "at": r["at"],
                    "date": r["at"].astimezone(UTC).date(),
                    "summary": f"{title} on {r['service']}",
                    "description": f"{title} ({r['year'] or '?'}) arrived {how} on "
                    f"{r['service']} in {r['region']}{yours}.",
                }
            )
        return ical("Kairos: arrivals on my lists", events)
