"""esm outbox policy: event type -> Celery task."""

from __future__ import annotations

from application.shared.outbox import OutboxRule

RULES: list[OutboxRule] = []
