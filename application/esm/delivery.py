"""What a prompt's events say about its participant's address, shared by the read model and
the audit replay so both show the same flag."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from domain.esm.delivery import UNDELIVERABLE, DeliveryOutcome
from domain.esm.prompt import Prompt


def participant_delivery(event: Any) -> tuple[str | None, datetime | None] | None:
    """(problem, at) to flag the participant, (None, None) to clear the flag, or None when
    the event says nothing about the address."""
    if isinstance(event, Prompt.SendingFailed) and event.permanent:
        return event.reason, event.at
    if isinstance(event, Prompt.DeliveryRecorded):
        if event.outcome in UNDELIVERABLE:
            return f"the mail provider reported {event.reported_as}", event.occurred_at
        if event.outcome == DeliveryOutcome.DELIVERED:
            return None, None
    return None
