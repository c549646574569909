"""Whether a due prompt or reminder may go out: decisions of the model, taken before any
email is claimed. The application asks them and carries them out."""

from __future__ import annotations

from datetime import datetime, timedelta

from domain.esm.campaign import Campaign
from domain.esm.enrollment import Enrollment
from domain.esm.prompt import Prompt
from domain.esm.status import CampaignStatus, PromptStatus

ACTIVE = "active"  # an enrollment's status while the participant takes part


def reason_not_to_send(
    prompt: Prompt, campaign: Campaign, enrollment: Enrollment, has_address: bool, at: datetime
) -> str | None:
    """Why this due prompt must be cancelled instead of sent, or None when it may go."""
    if prompt.status == PromptStatus.SCHEDULED and at > prompt.scheduled_at + timedelta(
        minutes=prompt.expiry_minutes
    ):
        return "missed: not sent before its expiry"  # e.g. the system was down
    if campaign.status != CampaignStatus.ACTIVE:
        return f"campaign {campaign.status}"
    if enrollment.status != ACTIVE:
        return "withdrawn"
    if enrollment.is_paused(at):
        return "participant paused"
    if not has_address:
        return "personal data erased"
    return None


def may_remind(
    prompt: Prompt, campaign: Campaign, enrollment: Enrollment, has_address: bool, at: datetime
) -> bool:
    """A reminder goes out once, to an active participant of an active campaign, while the
    prompt is unopened and still open."""
    return (
        prompt.needs_reminder(at)
        and has_address
        and campaign.status == CampaignStatus.ACTIVE
        and enrollment.status == ACTIVE
        and not enrollment.is_paused(at)
    )
