"""A prompt's email, decided: claiming it for sending, its outcome, the reminders that
follow it and what the mail provider reports. These are commands of the Prompt aggregate
(domain/esm/prompt.py), kept beside it; the events they trigger and how each changes the
prompt are declared there."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from uuid import UUID

from domain.esm.delivery import LEFT_US, DeliveryOutcome
from domain.esm.errors import NoReminderDue, PromptNotClaimable
from domain.esm.reminders import due_reminder
from domain.esm.status import PROMPT_TRANSITIONS, PromptStatus

CLAIM_LEASE = timedelta(minutes=5)


class PromptMail:
    """Mixed into Prompt."""

    if TYPE_CHECKING:  # the state and event methods Prompt defines
        campaign_id: UUID
        status: PromptStatus
        attempts: int
        scheduled_at: datetime
        expiry_minutes: int
        lease_until: datetime | None
        deadline: datetime | None
        sent_at: datetime | None
        opened_at: datetime | None
        reminders_after_minutes: list[int]
        reminders_claimed: int
        deliveries: list[tuple[str, str | None, str]]
        _sending_claimed: Callable[..., None]
        _sending_failed: Callable[..., None]
        _sent: Callable[..., None]
        _reminder_claimed: Callable[..., None]
        _reminder_sent: Callable[..., None]
        _delivery_recorded: Callable[..., None]

    def can_claim(self, at: datetime) -> bool:
        if self.status == PromptStatus.SCHEDULED:
            return at >= self.scheduled_at
        return (
            self.status == PromptStatus.SENDING
            and self.lease_until is not None
            and at >= self.lease_until
        )

    def claim_sending(self, token_hash: str, at: datetime) -> None:
        if not self.can_claim(at):
            raise PromptNotClaimable(f"the prompt cannot be claimed for sending ({self.status})")
        self._sending_claimed(
            campaign_id=self.campaign_id,
            attempt=self.attempts + 1,
            token_hash=token_hash,
            deadline=at + timedelta(minutes=self.expiry_minutes),
            lease_until=at + CLAIM_LEASE,
            at=at,
        )

    def fail_sending(self, reason: str, permanent: bool, at: datetime) -> None:
        """The provider refused: for good (the prompt is cancelled) or for now (the prompt
        is due again, and the next tick claims it with a fresh token)."""
        if self.status != PromptStatus.SENDING:
            return
        self._sending_failed(
            campaign_id=self.campaign_id, reason=reason, permanent=permanent, at=at
        )

    def mark_sent(self, message_id: str, at: datetime) -> None:
        if self.status not in PROMPT_TRANSITIONS["mark_sent"][0]:
            return  # answered or cancelled meanwhile: nothing to record
        reminder = (
            at + timedelta(minutes=self.reminders_after_minutes[0])
            if self.reminders_after_minutes
            else None
        )
        self._sent(
            campaign_id=self.campaign_id,
            message_id=message_id,
            deadline=at + timedelta(minutes=self.expiry_minutes),
            reminder_due_at=reminder,
            at=at,
        )

    @property
    def reminded(self) -> bool:
        return self.reminders_claimed > 0

    def reminder_due(self, at: datetime) -> int | None:
        """The number (1..N) of the reminder to send at `at` (see `reminders.due_reminder`);
        None when none is due: opened, closed, answered, or every reminder claimed."""
        if self.status != PromptStatus.SENT or self.opened_at is not None:
            return None
        if self.sent_at is None or self.deadline is None or at >= self.deadline:
            return None
        return due_reminder(self.reminders_after_minutes, self.reminders_claimed, self.sent_at, at)

    def needs_reminder(self, at: datetime) -> bool:
        return self.reminder_due(at) is not None

    def claim_reminder(self, token_hash: str, at: datetime) -> None:
        number = self.reminder_due(at)
        if number is None or self.sent_at is None:
            raise NoReminderDue("no reminder is due for this prompt")
        following = self.reminders_after_minutes[number:]
        self._reminder_claimed(
            campaign_id=self.campaign_id,
            number=number,
            token_hash=token_hash,
            next_due_at=self.sent_at + timedelta(minutes=following[0]) if following else None,
            at=at,
        )

    def mark_reminder_sent(self, message_id: str, at: datetime) -> None:
        self._reminder_sent(campaign_id=self.campaign_id, message_id=message_id, at=at)

    def record_delivery(
        self,
        outcome: DeliveryOutcome,
        message_id: str | None,
        occurred_at: datetime,
        reported_as: str | None = None,
    ) -> bool:
        """Records a provider report once (the same word for the same message at the same
        moment is a repeat). If the provider took the email of a claim whose worker died
        before recording `Sent`, this is the proof it left: it counts as sent, so the expired
        lease will not send it a second time."""
        said = reported_as or outcome.value
        if (said, message_id, occurred_at.isoformat()) in self.deliveries:
            return False
        self._delivery_recorded(
            campaign_id=self.campaign_id,
            outcome=outcome.value,
            reported_as=said,
            message_id=message_id,
            occurred_at=occurred_at,
        )
        if self.status == PromptStatus.SENDING and outcome in LEFT_US:
            self.mark_sent(message_id or "", occurred_at)
        return True
