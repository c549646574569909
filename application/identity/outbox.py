"""Identity outbox policy: a newly registered account gets a welcome email (sent only when
it is verified, i.e. created by an operator); every sign-up claim gets a confirmation
email, and again each time its owner asks for it."""

from __future__ import annotations

from application.shared.outbox import OutboxRule
from domain.identity.account import Account

RULES: list[OutboxRule] = [
    OutboxRule(
        event=Account.Registered,
        task="identity.send_welcome_email",
        kwargs=lambda e: {"account_id": str(e.originator_id)},
    ),
    OutboxRule(
        event=Account.VerificationRequested,
        task="identity.send_verification_email",
        kwargs=lambda e: {"account_id": str(e.originator_id), "claim": e.claim},
    ),
    OutboxRule(
        event=Account.VerificationLinkResent,
        task="identity.send_verification_email",
        kwargs=lambda e: {
            "account_id": str(e.originator_id),
            "claim": e.claim,
            "resent_at": e.at.isoformat(),
        },
    ),
]
