"""What a prompt's events say about its participant's address, shared by the read model and
the audit replay so both show the same flag."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from domain.esm.prompt import Prompt

UNDELIVERED_EVENTS = ("bounce", "dropped", "blocked")
"""Provider events that mean the participant's address does not take our mail."""


def participant_delivery(event: Any) -> tuple[str | None, datetime | None] | None:
    """(problem, at) to flag the participant, (None, None) to clear the flag, or None when
    the event says nothing about the address."""
    if isinstance(event, Prompt.SendingFailed) and event.permanent:
        return event.reason, event.at
    if isinstance(event, Prompt.DeliveryRecorded):
        if event.event in UNDELIVERED_EVENTS:
            return f"the mail provider reported {event.event}", event.occurred_at
        if event.event == "delivered":
            return None, None
    return None
