"""identity tasks: the welcome email (accounts an operator created) and the confirmation
email of a self-service sign-up (its only email until the address is confirmed).

Idempotent by a claim in `app.task_effects` held in an open transaction around the send:
the claim row (effect key `welcome:{account_id}`) is inserted first, the mailer is called,
and the transaction commits only after the provider accepted the message. A second delivery
of the same task blocks on the claim's unique key until the first commits (then skips) or
rolls back (then sends). A crash after the provider accepted but before the commit rolls
the claim back, so the redelivered task sends again: at-least-once email, never zero.
"""

from __future__ import annotations

import logging
from html import escape
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


VERIFY_SUBJECT = "Confirm your email address for Kairos"


def _send_once(
    effect_key: str, task_id: str, account_id: UUID, subject: str, text: str, html: str
) -> str:
    c = container()
    with c.database.pool.connection() as conn, conn.transaction():
        claimed = conn.execute(
            "INSERT INTO app.task_effects (effect_key, task_id) VALUES (%s, %s)"
            " ON CONFLICT (effect_key) DO NOTHING",
            (effect_key, task_id),
        ).rowcount
        if not claimed:
            return "already sent"
        email = c.identity.email_of(account_id)
        if email is None:
            return "erased"  # the claim commits: there is nobody to write to any more
        try:
            c.mailer.send(
                to=email, subject=subject, text=text, html=html, custom_args={"effect": effect_key}
            )
        except MailTemporarilyUnavailable as error:
            raise TransientTaskError(str(error)) from error
    return "sent"


@celery_app.task(base=KairosTask, name="identity.send_welcome_email")
def send_welcome_email(account_id: str, event_id: str = "", **_: Any) -> str:
    subject_id = UUID(account_id)
    if not container().identity.is_verified(subject_id):
        return "unverified: the confirmation email welcomes them"
    outcome = _send_once(
        f"welcome:{account_id}",
        event_id or send_welcome_email.request.id or "",
        subject_id,
        WELCOME_SUBJECT,
        WELCOME_TEXT,
        f"<p>{WELCOME_TEXT}</p>",
    )
    log.info("welcome email %s for %s", outcome, event_id or account_id)
    return outcome


@celery_app.task(base=KairosTask, name="identity.send_verification_email")
def send_verification_email(
    account_id: str, claim: str, event_id: str = "", resent_at: str = "", **_: Any
) -> str:
    c = container()
    subject_id = UUID(account_id)
    link = (
        f"{c.settings.public_url.rstrip('/')}/auth/verify?token="
        f"{c.identity.verification_token(subject_id, claim)}"
    )
    text = (
        "Someone (we hope you) signed up for Kairos with this address. Confirm it to receive"
        f" alerts and to keep the account:\n\n{link}\n\nThe link works for three days. If"
        " you did not sign up, ignore this message: nothing is sent to this address until it"
        " is confirmed, and you can still sign up with it yourself."
    )
    html = (
        "<p>Someone (we hope you) signed up for Kairos with this address. Confirm it to"
        f' receive alerts and to keep the account:</p><p><a href="{escape(link)}">Confirm my'
        " email address</a></p><p>The link works for three days. If you did not sign up,"
        " ignore this message: nothing is sent to this address until it is confirmed, and"
        " you can still sign up with it yourself.</p>"
    )
    outcome = _send_once(
        f"verify:{account_id}:{claim}" + (f":{resent_at}" if resent_at else ""),
        event_id or send_verification_email.request.id or "",
        subject_id,
        VERIFY_SUBJECT,
        text,
        html,
    )
    log.info("confirmation email %s for %s", outcome, event_id or account_id)
    return outcome


def beat_entries(interval: float) -> dict[str, dict[str, Any]]:
    return {}
