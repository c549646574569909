"""identity tasks: the welcome email.

Idempotent by a claim in `app.task_effects` held in an open transaction around the send:
the claim row (effect key `welcome:{account_id}`) is inserted first, the mailer is called,
and the transaction commits only after the provider accepted the message. A second delivery
of the same task blocks on the claim's unique key until the first commits (then skips) or
rolls back (then sends). A crash after the provider accepted but before the commit rolls
the claim back, so the redelivered task sends again: at-least-once email, never zero.
"""

from __future__ import annotations

import logging
from typing import Any
from uuid import UUID

from application.shared.ports import MailTemporarilyUnavailable
from infrastructure.celery_app import celery_app
from interfaces.tasks.base import KairosTask, TransientTaskError
from interfaces.tasks.runtime import container

log = logging.getLogger("kairos.tasks.identity")

WELCOME_SUBJECT = "Welcome to Kairos"
WELCOME_TEXT = (
    "Your Kairos account is ready. Sign in with this email address to start. "
    "If you did not create this account, you can ignore this message."
)


@celery_app.task(base=KairosTask, name="identity.send_welcome_email")
def send_welcome_email(account_id: str, event_id: str = "", **_: Any) -> str:
    c = container()
    subject_id = UUID(account_id)
    effect_key = f"welcome:{account_id}"
    with c.database.pool.connection() as conn, conn.transaction():
        claimed = conn.execute(
            "INSERT INTO app.task_effects (effect_key, task_id) VALUES (%s, %s)"
            " ON CONFLICT (effect_key) DO NOTHING",
            (effect_key, event_id or send_welcome_email.request.id or ""),
        ).rowcount
        if not claimed:
            return "already sent"
        email = c.identity.email_of(subject_id)
        if email is None:
            return "erased"  # the claim commits: there is nobody to write to any more
        try:
            c.mailer.send(
                to=email,
                subject=WELCOME_SUBJECT,
                text=WELCOME_TEXT,
                html=f"<p>{WELCOME_TEXT}</p>",
                custom_args={"effect": effect_key},
            )
        except MailTemporarilyUnavailable as error:
            raise TransientTaskError(str(error)) from error
    log.info("welcome email sent for %s", event_id or account_id)
    return "sent"


def beat_entries(interval: float) -> dict[str, dict[str, Any]]:
    return {}
