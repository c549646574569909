"""myvod outbox policy: event type -> Celery task."""

from __future__ import annotations

from application.shared.outbox import OutboxRule
from domain.myvod.title import Title
from domain.myvod.watchlist import Watchlist

RULES: list[OutboxRule] = [
    OutboxRule(
        event=Title.Registered,
        task="myvod.enrich_title",
        kwargs=lambda e: {"title_id": str(e.originator_id), "tmdb_id": e.tmdb_id},
    ),
    OutboxRule(
        event=Title.Registered,
        task="myvod.check_availability",
        kwargs=lambda e: {"title_id": str(e.originator_id), "tmdb_id": e.tmdb_id},
    ),
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
