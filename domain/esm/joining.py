"""Self-enrollment settings: whether a campaign's public join page is open, what it shows
(an information sheet and the consent text, versioned), what it asks, and its limits.

Every change of the information sheet or the consent text bumps `consent_version`; each
participant's consent records the version and a digest of the exact text shown, so what they
agreed to can be proven from the campaign's own events.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.esm.questionnaire import storable
from domain.shared.errors import InvalidInput

MAX_TEXT = 20_000
MAX_PARTICIPANTS = 100_000
CONSENT_STATEMENT = "I have read the information above and I agree to take part."
DEFAULTS: dict[str, Any] = {
    "open": False,
    "information": "",
    "consent_text": "",
    "consent_version": 0,
    "max_participants": None,
    "closes_at": None,
    "ask_timezone": True,
    "ask_window": False,
}
EDITABLE = (
    "open",
    "information",
    "consent_text",
    "max_participants",
    "closes_at",
    "ask_timezone",
    "ask_window",
)


def _text(value: Any, field: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > MAX_TEXT or not storable(value):
        raise InvalidInput(f"self_enrollment.{field} must be text of at most {MAX_TEXT} characters")
    return value.strip()


def _flag(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidInput(f"self_enrollment.{field} must be true or false")
    return value


def _closes_at(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value))
        except ValueError:
            raise InvalidInput("self_enrollment.closes_at must be an ISO 8601 instant") from None
    if moment.tzinfo is None:
        raise InvalidInput("self_enrollment.closes_at needs a UTC offset")
    return moment.isoformat()


def _cap(value: Any) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_PARTICIPANTS:
        raise InvalidInput(
            f"self_enrollment.max_participants must be an integer from 1 to {MAX_PARTICIPANTS}"
        )
    return value


def normalise_self_enrollment(changes: Any, current: dict[str, Any] | None) -> dict[str, Any]:
    """The settings after `changes` (a partial object), checked, with `consent_version`
    bumped when the information sheet or the consent text changed."""
    if not isinstance(changes, dict):
        raise InvalidInput("self_enrollment must be an object")
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise InvalidInput(f"self_enrollment.{unknown[0]} cannot be set")
    before = {**DEFAULTS, **(current or {})}
    merged = {**before, **changes}
    result = {
        "open": _flag(merged["open"], "open"),
        "information": _text(merged["information"], "information"),
        "consent_text": _text(merged["consent_text"], "consent_text"),
        "max_participants": _cap(merged["max_participants"]),
        "closes_at": _closes_at(merged["closes_at"]),
        "ask_timezone": _flag(merged["ask_timezone"], "ask_timezone"),
        "ask_window": _flag(merged["ask_window"], "ask_window"),
    }
    if result["open"] and not result["consent_text"]:
        raise InvalidInput("self_enrollment.consent_text is required to open self-enrollment")
    wording_changed = (result["information"], result["consent_text"]) != (
        before["information"],
        before["consent_text"],
    )
    version = int(before["consent_version"])
    if wording_changed or (version == 0 and result["consent_text"]):
        version += 1
    result["consent_version"] = version
    return result


def consent_digest(settings: dict[str, Any]) -> str:
    """SHA-256 of exactly what the join page shows for this consent version."""
    text = "\n\n".join(
        (
            f"consent version {settings['consent_version']}",
            settings["information"],
            settings["consent_text"],
            CONSENT_STATEMENT,
        )
    )
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Joinability:
    open: bool
    reason: str = ""


def joinability(
    settings: dict[str, Any] | None, status: str, local_today: str, end_date: str, at: datetime
) -> Joinability:
    """Whether a new person may ask to join now, and if not, why (shown on the page)."""
    if not settings or not settings.get("open"):
        return Joinability(False, "This study is not taking new participants.")
    if status in ("completed", "archived"):
        return Joinability(False, "This study has ended.")
    if local_today > end_date:
        return Joinability(False, "This study has ended.")
    closes = settings.get("closes_at")
    if closes and at >= datetime.fromisoformat(closes):
        return Joinability(False, "Enrollment for this study has closed.")
    return Joinability(True)
