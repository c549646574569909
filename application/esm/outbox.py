"""esm outbox policy: event type -> Celery task."""

from __future__ import annotations

from application.shared.outbox import OutboxRule
from domain.esm.campaign import Campaign
from domain.esm.enrollment import Enrollment

RULES: list[OutboxRule] = [
    OutboxRule(
        event=Campaign.Launched,
        task="esm.plan_campaign",
        kwargs=lambda e: {"campaign_id": str(e.originator_id)},
    ),
    OutboxRule(
        event=Campaign.Resumed,
        task="esm.plan_campaign",
        kwargs=lambda e: {"campaign_id": str(e.originator_id)},
    ),
    OutboxRule(
        event=Enrollment.ConfirmationRequested,
        task="esm.send_confirmation",
        kwargs=lambda e: {"enrollment_id": str(e.originator_id), "request": e.request},
    ),
]
