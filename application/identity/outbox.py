"""Identity outbox policy: a newly registered account gets a welcome email."""

from __future__ import annotations

from application.shared.outbox import OutboxRule
from domain.identity.account import Account

RULES: list[OutboxRule] = [
    OutboxRule(
        event=Account.Registered,
        task="identity.send_welcome_email",
        kwargs=lambda e: {"account_id": str(e.originator_id)},
    ),
]
