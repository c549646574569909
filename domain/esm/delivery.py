"""What became of a prompt email, in ESMpress's own words. A mail provider's adapter maps
its vocabulary onto these outcomes (infrastructure/adapters/sendgrid_webhook.py); the
domain and the read models decide on the outcome only."""

from __future__ import annotations

from enum import StrEnum


class DeliveryOutcome(StrEnum):
    ACCEPTED = "accepted"
    """The provider took the email and will try to deliver it."""
    DEFERRED = "deferred"
    """The receiving server asked to try again later."""
    DELIVERED = "delivered"
    BOUNCED = "bounced"
    BLOCKED = "blocked"
    DROPPED = "dropped"
    """The provider refused to send it (a suppressed or invalid address)."""
    OPENED = "opened"
    CLICKED = "clicked"
    COMPLAINED = "complained"
    """The participant marked it as spam."""
    UNSUBSCRIBED = "unsubscribed"
    OTHER = "other"


LEFT_US = frozenset(
    {
        DeliveryOutcome.ACCEPTED,
        DeliveryOutcome.DEFERRED,
        DeliveryOutcome.DELIVERED,
        DeliveryOutcome.OPENED,
        DeliveryOutcome.CLICKED,
    }
)
"""Outcomes that prove the email left: a claim whose worker died before recording `Sent`
counts as sent."""

UNDELIVERABLE = frozenset(
    {DeliveryOutcome.BOUNCED, DeliveryOutcome.BLOCKED, DeliveryOutcome.DROPPED}
)
"""Outcomes that mean the participant's address does not take our mail (until a later
delivery says it does again)."""

PROBLEMS = UNDELIVERABLE | {DeliveryOutcome.COMPLAINED, DeliveryOutcome.DEFERRED}
"""Outcomes a researcher should see as a delivery problem in a participant's journey."""

VERSION_1_NAMES: dict[str, DeliveryOutcome] = {
    "processed": DeliveryOutcome.ACCEPTED,
    "deferred": DeliveryOutcome.DEFERRED,
    "delivered": DeliveryOutcome.DELIVERED,
    "bounce": DeliveryOutcome.BOUNCED,
    "blocked": DeliveryOutcome.BLOCKED,
    "dropped": DeliveryOutcome.DROPPED,
    "open": DeliveryOutcome.OPENED,
    "click": DeliveryOutcome.CLICKED,
    "spamreport": DeliveryOutcome.COMPLAINED,
    "unsubscribe": DeliveryOutcome.UNSUBSCRIBED,
    "group_unsubscribe": DeliveryOutcome.UNSUBSCRIBED,
}
"""History, frozen: version 1 of `Prompt.DeliveryRecorded` stored the provider's own name
for the event instead of an outcome. Its upcaster reads them through this table; new names
belong in the provider's adapter, never here."""


def outcome_of_version_1(name: str) -> DeliveryOutcome:
    return VERSION_1_NAMES.get(name, DeliveryOutcome.OTHER)
