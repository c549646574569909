"""Reminders and the end of a campaign: the rules that decide, checked where they are defined.

A campaign may remind a participant who has not opened a link up to `MAX_REMINDERS` times, at
chosen offsets from the moment the link was sent (`reminders: [{"after_minutes": 20}, ...]`;
the older `reminder_after_minutes: 20` means one reminder). Offsets must rise and fall before
the link closes. A campaign ends when its `end_date` has ended in every zone its
participants live in (and its own): only then can nothing more be planned for anyone.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from domain.esm.schedule import zone
from domain.shared.errors import InvalidInput

MAX_REMINDERS = 3
MAX_OFFSET_MINUTES = 7 * 24 * 60


def _offset(value: Any, name: str) -> int:
    if (
        not isinstance(value, int)
        or isinstance(value, bool)
        or not 1 <= value <= MAX_OFFSET_MINUTES
    ):
        raise InvalidInput(f"{name} must be an integer from 1 to {MAX_OFFSET_MINUTES}")
    return value


def normalise_reminders(data: dict[str, Any], expiry_minutes: int) -> list[dict[str, int]]:
    """The canonical reminder list of a campaign definition (`reminders`, or the older
    `reminder_after_minutes`), each offset checked against the link's expiry."""
    given = data.get("reminders")
    legacy = data.get("reminder_after_minutes")
    if given is None:
        if legacy is None:
            return []
        minutes = _offset(legacy, "reminder_after_minutes")
        if minutes >= expiry_minutes:
            raise InvalidInput("reminder_after_minutes must be less than expiry_minutes")
        return [{"after_minutes": minutes}]
    if not isinstance(given, list) or len(given) > MAX_REMINDERS:
        raise InvalidInput(
            f"reminders must be a list of at most {MAX_REMINDERS} objects {{after_minutes}}"
        )
    result: list[dict[str, int]] = []
    for number, item in enumerate(given, start=1):
        if not isinstance(item, dict) or set(item) != {"after_minutes"}:
            raise InvalidInput(f"reminder {number}: must be an object {{after_minutes}}")
        minutes = _offset(item["after_minutes"], f"reminder {number}: after_minutes")
        if minutes >= expiry_minutes:
            raise InvalidInput(
                f"reminder {number}: after_minutes ({minutes}) must be less than"
                f" expiry_minutes ({expiry_minutes}): the link has closed by then"
            )
        if result and minutes <= result[-1]["after_minutes"]:
            raise InvalidInput(
                f"reminder {number}: after_minutes ({minutes}) must be later than reminder"
                f" {number - 1}'s ({result[-1]['after_minutes']})"
            )
        result.append({"after_minutes": minutes})
    if legacy is not None and (not result or result[0]["after_minutes"] != legacy):
        raise InvalidInput(
            "give reminders or reminder_after_minutes (the first reminder's offset), not both"
            " with different values"
        )
    return result


def offsets(reminders: Iterable[dict[str, int]]) -> list[int]:
    return [item["after_minutes"] for item in reminders]


def campaign_ends_at(end_date: date, zones: Iterable[str]) -> datetime:
    """The instant `end_date` has ended everywhere: local midnight after it in the latest of
    the zones."""
    after = end_date + timedelta(days=1)
    return max(datetime.combine(after, time(0), tzinfo=zone(name)) for name in zones)


def due_reminder(
    offsets_minutes: list[int], last_claimed: int, sent_at: datetime, at: datetime
) -> int | None:
    """The latest reminder (1..N) whose moment has come and that follows the last one
    claimed: a dispatcher that was late sends the latest only, never two at once."""
    due = [
        number
        for number, minutes in enumerate(offsets_minutes, start=1)
        if number > last_claimed and at >= sent_at + timedelta(minutes=minutes)
    ]
    return due[-1] if due else None
