"""Turns domain events and aggregates into JSON for auditors, without personal data.

Sealed values (the vault's ciphertext of an email) are never unsealed here: they show as
"[sealed]", or "[erased]" once the person's key was deleted. Token hashes are withheld.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from typing import Any
from uuid import UUID

SEALED_PREFIX = "sealed:"
SEALED = "[sealed]"
ERASED = "[erased]"
WITHHELD = "[redacted]"
INTERNAL = {"originator_id", "originator_version", "timestamp", "originator_topic"}

IsErased = Callable[[UUID], bool]


def jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted(jsonable(v) for v in value)
    return value


def redact(value: Any, erased: bool, key: str = "") -> Any:
    if "token" in key or "password" in key:
        return WITHHELD
    if isinstance(value, str) and value.startswith(SEALED_PREFIX):
        return ERASED if erased else SEALED
    if isinstance(value, dict):
        return {k: redact(v, erased, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v, erased, key) for v in value]
    return value


def subject_of(attributes: dict[str, Any]) -> UUID | None:
    subject = attributes.get("subject_id")
    return subject if isinstance(subject, UUID) else None


def event_data(event: Any, is_erased: IsErased) -> dict[str, Any]:
    attributes = {k: v for k, v in vars(event).items() if k not in INTERNAL}
    subject = subject_of(attributes)
    erased = subject is not None and is_erased(subject)
    return redact(jsonable(attributes), erased)  # type: ignore[no-any-return]
