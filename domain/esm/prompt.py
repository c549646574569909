"""The Prompt aggregate: one sampled moment of one participant.

scheduled -> sending -> sent -> answered | expired, and cancelled from scheduled or sending.

Sending is claimed before the email leaves (`SendingClaimed`, guarded by optimistic
concurrency), so two ticks or two deliveries of the same task cannot both send. A claim has a
lease: if the worker died before recording `Sent`, the prompt can be claimed again once the
lease has run out. Only the SHA-256 of each link token is recorded.

Expiry distinguishes "not opened" from "opened but not finished": the first open of the link
starts a completion window, so whoever opens it has at least `completion_minutes` from that
moment. Opening never shortens the link's deadline: mail scanners that fetch links before the
participant does must not close the survey on them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.esm.delivery import outcome_of_version_1
from domain.esm.errors import (
    AlreadyAnswered,
    NoReminderDue,
    PromptCancelled,
    PromptExpired,
    PromptNotCancellable,
    PromptNotClaimable,
    PromptNotOpen,
    PromptNotOverdue,
)
from domain.esm.prompt_mail import PromptMail
from domain.esm.status import OPEN_PROMPT, PROMPT_TRANSITIONS, PromptStatus

__all__ = [
    "AlreadyAnswered",
    "NoReminderDue",
    "Prompt",
    "PromptCancelled",
    "PromptExpired",
    "PromptNotCancellable",
    "PromptNotClaimable",
    "PromptNotOpen",
    "PromptNotOverdue",
]


class Prompt(PromptMail, Aggregate):
    """Create with `Prompt.schedule(...)`; the commands about its email are decided in
    `domain/esm/prompt_mail.py`."""

    class Scheduled(Aggregate.Created):
        class_version = 3
        campaign_id: UUID
        enrollment_id: UUID
        day: str
        sequence: int
        scheduled_at: datetime
        expiry_minutes: int
        completion_minutes: int
        reminder_after_minutes: int | None
        """The first reminder's offset (kept for readers of version 1)."""
        reminders_after_minutes: list[int]
        """Every reminder's offset from sending, rising (at most 3)."""
        questionnaire: str
        """The id of the campaign's questionnaire this prompt asks."""

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            first = state["reminder_after_minutes"]
            state["reminders_after_minutes"] = [first] if first else []

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            state["questionnaire"] = "main"  # version 2 campaigns had one questionnaire

    class SendingClaimed(Aggregate.Event):
        campaign_id: UUID
        attempt: int
        token_hash: str
        deadline: datetime
        lease_until: datetime
        at: datetime

    class Sent(Aggregate.Event):
        campaign_id: UUID
        message_id: str
        deadline: datetime
        reminder_due_at: datetime | None
        at: datetime

    class ReminderClaimed(Aggregate.Event):
        class_version = 2
        campaign_id: UUID
        number: int
        """Which reminder (1..N); one whose moment passed while a later one was due too is
        skipped, so a late dispatcher never sends two at once."""
        token_hash: str
        next_due_at: datetime | None
        """When the next reminder falls due (None: this was the last)."""
        at: datetime

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["number"] = 1  # version 1 prompts had one reminder at most
            state["next_due_at"] = None

    class ReminderSent(Aggregate.Event):
        campaign_id: UUID
        message_id: str
        at: datetime

    class Opened(Aggregate.Event):
        class_version = 2
        campaign_id: UUID
        deadline: datetime
        order_seed: int | None
        """The seed of the order the questions and options are shown in (None: the
        questionnaire's own order; domain/esm/logic.py `arrange`)."""
        at: datetime

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["order_seed"] = None  # version 1 showed every questionnaire in its order

    class Answered(Aggregate.Event):
        campaign_id: UUID
        enrollment_id: UUID
        answers: dict[str, Any]
        questionnaire_version: int
        latency_seconds: float
        at: datetime

    class Expired(Aggregate.Event):
        campaign_id: UUID
        reason: str
        at: datetime

    class SendingFailed(Aggregate.Event):
        campaign_id: UUID
        reason: str
        permanent: bool
        at: datetime

    class Cancelled(Aggregate.Event):
        campaign_id: UUID
        reason: str
        at: datetime

    class DeliveryRecorded(Aggregate.Event):
        """What the mail provider reported: the `outcome` (a DeliveryOutcome) and, for people
        reading a journey, its own word for it (`reported_as`), never interpreted."""

        class_version = 2
        campaign_id: UUID
        outcome: str
        reported_as: str
        message_id: str | None
        occurred_at: datetime

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """Version 1 stored only the provider's name for the event (`event`)."""
            state["reported_as"] = state.pop("event")
            state["outcome"] = outcome_of_version_1(state["reported_as"]).value

    @event(Scheduled)
    def __init__(
        self,
        *,
        campaign_id: UUID,
        enrollment_id: UUID,
        day: str,
        sequence: int,
        scheduled_at: datetime,
        expiry_minutes: int,
        completion_minutes: int,
        reminder_after_minutes: int | None,
        reminders_after_minutes: list[int],
        questionnaire: str,
    ) -> None:
        self.campaign_id = campaign_id
        self.questionnaire = questionnaire
        self.enrollment_id = enrollment_id
        self.day = day
        self.sequence = sequence
        self.scheduled_at = scheduled_at
        self.expiry_minutes = expiry_minutes
        self.completion_minutes = completion_minutes
        self.reminder_after_minutes = reminder_after_minutes
        self.reminders_after_minutes = list(reminders_after_minutes)
        self.status = PromptStatus.SCHEDULED
        self.attempts = 0
        self.token_hashes: list[str] = []
        self.lease_until: datetime | None = None
        self.deadline: datetime | None = None
        self.sent_at: datetime | None = None
        self.opened_at: datetime | None = None
        self.reminders_claimed = 0
        """The number of the last reminder claimed (0: none yet)."""
        self.answers: dict[str, Any] | None = None
        self.answered_at: datetime | None = None
        self.order_seed: int | None = None
        self.deliveries: list[tuple[str, str | None, str]] = []

    @classmethod
    def schedule(
        cls,
        *,
        prompt_id: UUID,
        campaign_id: UUID,
        enrollment_id: UUID,
        day: str,
        sequence: int,
        scheduled_at: datetime,
        expiry_minutes: int,
        completion_minutes: int,
        reminder_after_minutes: int | None = None,
        reminders_after_minutes: list[int] | None = None,
        questionnaire: str = "main",
    ) -> Prompt:
        """`reminders_after_minutes` (rising offsets), or the older single offset."""
        if reminders_after_minutes is None:
            reminders_after_minutes = [reminder_after_minutes] if reminder_after_minutes else []
        return cls._create(
            cls.Scheduled,
            id=prompt_id,
            campaign_id=campaign_id,
            enrollment_id=enrollment_id,
            day=day,
            sequence=sequence,
            scheduled_at=scheduled_at,
            expiry_minutes=expiry_minutes,
            completion_minutes=completion_minutes,
            reminder_after_minutes=reminders_after_minutes[0] if reminders_after_minutes else None,
            reminders_after_minutes=list(reminders_after_minutes),
            questionnaire=questionnaire,
        )

    # -- its email (the commands: prompt_mail.py) ------------------------------------------
    @event(SendingClaimed)
    def _sending_claimed(
        self,
        campaign_id: UUID,
        attempt: int,
        token_hash: str,
        deadline: datetime,
        lease_until: datetime,
        at: datetime,
    ) -> None:
        self.status = PROMPT_TRANSITIONS["claim_sending"][1]
        self.attempts = attempt
        self.token_hashes = [*self.token_hashes, token_hash]
        self.deadline = deadline
        self.lease_until = lease_until

    @event(SendingFailed)
    def _sending_failed(
        self, campaign_id: UUID, reason: str, permanent: bool, at: datetime
    ) -> None:
        outcome = "fail_sending_for_good" if permanent else "fail_sending_for_now"
        self.status = PROMPT_TRANSITIONS[outcome][1]
        self.lease_until = None

    @event(Sent)
    def _sent(
        self,
        campaign_id: UUID,
        message_id: str,
        deadline: datetime,
        reminder_due_at: datetime | None,
        at: datetime,
    ) -> None:
        self.status = PROMPT_TRANSITIONS["mark_sent"][1]
        self.sent_at = at
        if self.opened_at is None:
            self.deadline = deadline

    @event(ReminderClaimed)
    def _reminder_claimed(
        self,
        campaign_id: UUID,
        number: int,
        token_hash: str,
        next_due_at: datetime | None,
        at: datetime,
    ) -> None:
        self.reminders_claimed = number
        self.token_hashes = [*self.token_hashes, token_hash]

    @event(ReminderSent)
    def _reminder_sent(self, campaign_id: UUID, message_id: str, at: datetime) -> None:
        pass

    @event(DeliveryRecorded)
    def _delivery_recorded(
        self,
        campaign_id: UUID,
        outcome: str,
        reported_as: str,
        message_id: str | None,
        occurred_at: datetime,
    ) -> None:
        self.deliveries = [*self.deliveries, (reported_as, message_id, occurred_at.isoformat())]

    # -- the participant ---------------------------------------------------------------
    def ensure_open(self, at: datetime) -> None:
        """Refuses with 409/410 unless the link can still be answered at `at`."""
        if self.status == PromptStatus.ANSWERED:
            raise AlreadyAnswered("this prompt has already been answered")
        if self.status == PromptStatus.CANCELLED:
            raise PromptCancelled("this prompt was cancelled")
        if self.status == PromptStatus.EXPIRED or (
            self.deadline is not None and at > self.deadline
        ):
            raise PromptExpired("this prompt has expired")
        if self.status not in PROMPT_TRANSITIONS["answer"][0]:
            raise PromptNotOpen("this prompt has not been sent yet")

    def open(self, at: datetime, order_seed: int | None = None) -> None:
        """The first open starts the completion window and fixes the order shown (drawn
        from `order_seed`, given when the questionnaire randomises); later opens keep both."""
        self.ensure_open(at)
        if self.opened_at is None:
            window_end = at + timedelta(minutes=self.completion_minutes)
            deadline = max(window_end, self.deadline) if self.deadline else window_end
            self._opened(
                campaign_id=self.campaign_id, deadline=deadline, order_seed=order_seed, at=at
            )

    @event(Opened)
    def _opened(
        self, campaign_id: UUID, deadline: datetime, order_seed: int | None, at: datetime
    ) -> None:
        self.opened_at = at
        self.deadline = deadline
        self.order_seed = order_seed

    def answer(self, answers: dict[str, Any], questionnaire_version: int, at: datetime) -> None:
        """`answers` must already be validated against the campaign's questionnaire."""
        self.ensure_open(at)
        sent = self.sent_at or self.scheduled_at
        self._answered(
            campaign_id=self.campaign_id,
            enrollment_id=self.enrollment_id,
            answers=answers,
            questionnaire_version=questionnaire_version,
            latency_seconds=max(0.0, (at - sent).total_seconds()),
            at=at,
        )

    @event(Answered)
    def _answered(
        self,
        campaign_id: UUID,
        enrollment_id: UUID,
        answers: dict[str, Any],
        questionnaire_version: int,
        latency_seconds: float,
        at: datetime,
    ) -> None:
        self.status = PROMPT_TRANSITIONS["answer"][1]
        self.answers = dict(answers)
        self.answered_at = at

    # -- time and withdrawal -----------------------------------------------------------
    def is_overdue(self, at: datetime) -> bool:
        return self.status in OPEN_PROMPT and self.deadline is not None and at > self.deadline

    def expire(self, at: datetime) -> None:
        if not self.is_overdue(at):
            raise PromptNotOverdue("the prompt is not overdue")
        reason = "not_finished" if self.opened_at is not None else "not_opened"
        self._expired(campaign_id=self.campaign_id, reason=reason, at=at)

    @event(Expired)
    def _expired(self, campaign_id: UUID, reason: str, at: datetime) -> None:
        self.status = PROMPT_TRANSITIONS["expire"][1]

    def cancel(self, reason: str, at: datetime) -> None:
        if self.status not in PROMPT_TRANSITIONS["cancel"][0]:
            raise PromptNotCancellable(
                f"only a scheduled prompt can be cancelled (it is {self.status})"
            )
        self._cancelled(campaign_id=self.campaign_id, reason=reason, at=at)

    @event(Cancelled)
    def _cancelled(self, campaign_id: UUID, reason: str, at: datetime) -> None:
        self.status = PROMPT_TRANSITIONS["cancel"][1]
