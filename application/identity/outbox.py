"""Identity has no outbox rules yet."""

from __future__ import annotations

from application.shared.outbox import OutboxRule

RULES: list[OutboxRule] = []
