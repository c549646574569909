"""myvod outbox policy: event type -> Celery task."""

from __future__ import annotations

from typing import Any

from application.shared.outbox import OutboxRule
from domain.myvod.title import Title
from domain.myvod.watchlist import Watchlist


def _new_title(event: Any) -> dict[str, Any]:
    return {"title_id": str(event.originator_id), "tmdb_id": event.tmdb_id}


RULES: list[OutboxRule] = [
    OutboxRule(event=Title.Registered, task="myvod.enrich_title", kwargs=_new_title),
    OutboxRule(event=Title.Registered, task="myvod.check_availability", kwargs=_new_title),
    OutboxRule(
        event=Title.AvailabilityChanged,
        task="myvod.raise_alerts",
        kwargs=lambda e: {
            "title_id": str(e.originator_id),
            "added": list(e.added),
            "initial": e.initial,
        },
    ),
    OutboxRule(
        event=Watchlist.AvailabilityAlertRaised,
        task="myvod.send_alert",
        kwargs=lambda e: {"watchlist_id": str(e.originator_id), "change_key": e.change_key},
    ),
    OutboxRule(
        event=Watchlist.SuggestionsRequested,
        task="myvod.suggest",
        kwargs=lambda e: {"watchlist_id": str(e.originator_id), "request_id": e.request_id},
    ),
]
