"""The release calendar: the Watchlist's secret-key commands (given/when/then) and the iCal
text (RFC 5545 escaping, folding, CRLF)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import uuid4

import pytest

from application.myvod.calendar import ical
from domain.myvod.lists import share_hash
from domain.myvod.watchlist import Watchlist
from domain.shared.errors import InvalidInput
from tests.support.decider import given, then

AT = datetime(2026, 12, 8, 22, 30, tzinfo=UTC)


def test_a_new_calendar_key_replaces_the_old_and_revoking_twice_records_once() -> None:
    watchlist = given(Watchlist(account_id=uuid4()))
    watchlist.issue_calendar_key(share_hash("one"), AT)
    watchlist.issue_calendar_key(share_hash("two"), AT)
    assert then(watchlist) == ["CalendarKeyIssued", "CalendarKeyIssued"]
    assert watchlist.calendar_key == share_hash("two")
    assert watchlist.revoke_calendar_key(AT)
    assert not watchlist.revoke_calendar_key(AT)
    assert then(watchlist) == ["CalendarKeyRevoked"]
    with pytest.raises(InvalidInput):
        watchlist.issue_calendar_key("the key itself", AT)


def test_the_feed_is_rfc5545_text_with_escaped_and_folded_lines() -> None:
    long_title = "A; very, long\\title " + "é" * 60
    text = ical(
        "Kairos",
        [
            {
                "uid": "t-PL-netflix-stream-20261208@kairos",
                "at": AT,
                "date": date(2026, 12, 8),
                "summary": f"{long_title} on netflix",
                "description": "line one\nline two",
            }
        ],
    )
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert "DTSTART;VALUE=DATE:20261208\r\n" in text and "DTSTAMP:20261208T223000Z" in text
    assert "DESCRIPTION:line one\\nline two" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    unfolded = text.replace("\r\n ", "")
    assert f"SUMMARY:A\\; very\\, long\\\\title {'é' * 60} on netflix" in unfolded
