"""The lifecycles of a campaign and of a prompt: their states and which command moves which
state where. The aggregates check their commands against these tables, and the tables are
what docs and tests read."""

from __future__ import annotations

from enum import StrEnum


class CampaignStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    PAUSED = "paused"
    COMPLETED = "completed"
    ARCHIVED = "archived"


CAMPAIGN_TRANSITIONS: dict[str, tuple[tuple[CampaignStatus, ...], CampaignStatus]] = {
    "launch": ((CampaignStatus.DRAFT,), CampaignStatus.ACTIVE),
    "pause": ((CampaignStatus.ACTIVE,), CampaignStatus.PAUSED),
    "resume": ((CampaignStatus.PAUSED,), CampaignStatus.ACTIVE),
    "complete": ((CampaignStatus.ACTIVE, CampaignStatus.PAUSED), CampaignStatus.COMPLETED),
    "archive": ((CampaignStatus.COMPLETED, CampaignStatus.DRAFT), CampaignStatus.ARCHIVED),
}
"""command -> (the states it is allowed from, the state it leads to)."""


class PromptStatus(StrEnum):
    SCHEDULED = "scheduled"
    SENDING = "sending"
    """Claimed by one sender (a lease), the email not yet confirmed."""
    SENT = "sent"
    ANSWERED = "answered"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


OPEN_PROMPT = (PromptStatus.SENDING, PromptStatus.SENT)
"""The link can be opened and answered (until its deadline)."""

PROMPT_TRANSITIONS: dict[str, tuple[tuple[PromptStatus, ...], PromptStatus]] = {
    "claim_sending": ((PromptStatus.SCHEDULED, PromptStatus.SENDING), PromptStatus.SENDING),
    "fail_sending_for_now": ((PromptStatus.SENDING,), PromptStatus.SCHEDULED),
    "fail_sending_for_good": ((PromptStatus.SENDING,), PromptStatus.CANCELLED),
    "mark_sent": ((PromptStatus.SENDING,), PromptStatus.SENT),
    "answer": (OPEN_PROMPT, PromptStatus.ANSWERED),
    "expire": (OPEN_PROMPT, PromptStatus.EXPIRED),
    "cancel": ((PromptStatus.SCHEDULED,), PromptStatus.CANCELLED),
}
"""command -> (the states it is allowed from, the state it leads to). A reminder, an open
and a delivery report change no state."""
