"""ESMpress sending: claim, email and record prompts and reminders; expire links; record the
provider's delivery events. Every step is safe to repeat (see docs/esmpress.md)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from application.esm import tokens
from application.esm.base import ESMBase
from application.esm.links import MANAGE
from application.esm.messages import prompt_email
from application.shared.ports import MailDeliveryError, Mailer, MailTemporarilyUnavailable
from domain.esm.campaign import Campaign
from domain.esm.delivery import DeliveryOutcome
from domain.esm.enrollment import Enrollment
from domain.esm.prompt import Prompt
from domain.esm.sending import may_remind, reason_not_to_send
from domain.shared.errors import ConcurrencyError, NotFound


class SendingUseCases(ESMBase):
    def due_prompt_ids(self, limit: int = 500) -> list[UUID]:
        rows = self._read().fetch_all(
            "SELECT id FROM read.esm_prompts WHERE (status = 'scheduled' AND scheduled_at <= %s)"
            " OR (status = 'sending' AND lease_until <= %s) ORDER BY scheduled_at LIMIT %s",
            (self.clock(), self.clock(), limit),
        )
        return [row["id"] for row in rows]

    def send_prompt(self, prompt_id: UUID, mailer: Mailer, public_url: str) -> str:
        """Claims, emails and records one due prompt. Safe to call any number of times: the
        claim is an optimistic-concurrency write, so only one caller ever sends."""
        now = self.clock()
        prompt = self._get(prompt_id, Prompt, "no such prompt")
        if not prompt.can_claim(now):
            return "skipped"
        campaign, enrollment, email = self._recipient(prompt)
        reason = reason_not_to_send(prompt, campaign, enrollment, email is not None, now)
        if reason:
            prompt.cancel(reason, now)
            return self._save_outcome(prompt, "cancelled")
        token = tokens.new_token(prompt.id)
        prompt.claim_sending(tokens.token_hash(token), now)
        if self._save_outcome(prompt, "claimed") != "claimed":
            return "skipped"
        assert email is not None
        try:
            message_id = self._mail(mailer, public_url, token, prompt, campaign, enrollment, email)
        except MailDeliveryError as error:
            prompt.fail_sending(f"undeliverable: {error}"[:200], permanent=True, at=self.clock())
            self._save_outcome(prompt, "failed")
            return "undeliverable"
        except MailTemporarilyUnavailable:
            prompt.fail_sending("provider unavailable", permanent=False, at=self.clock())
            self._save_outcome(prompt, "failed")
            raise
        prompt.mark_sent(message_id, self.clock())
        return self._save_outcome(prompt, "sent")

    def due_reminder_ids(self, limit: int = 500) -> list[UUID]:
        rows = self._read().fetch_all(
            "SELECT id FROM read.esm_prompts WHERE status = 'sent' AND opened_at IS NULL"
            " AND reminder_due_at <= %s AND deadline > %s"
            " ORDER BY reminder_due_at LIMIT %s",
            (self.clock(), self.clock(), limit),
        )
        return [row["id"] for row in rows]

    def send_reminder(self, prompt_id: UUID, mailer: Mailer, public_url: str) -> str:
        now = self.clock()
        prompt = self._get(prompt_id, Prompt, "no such prompt")
        if not prompt.needs_reminder(now):
            return "skipped"
        campaign, enrollment, email = self._recipient(prompt)
        if email is None or not may_remind(prompt, campaign, enrollment, True, now):
            return "skipped"
        token = tokens.new_token(prompt.id)
        prompt.claim_reminder(tokens.token_hash(token), now)
        if self._save_outcome(prompt, "claimed") != "claimed":
            return "skipped"
        try:
            message_id = self._mail(
                mailer, public_url, token, prompt, campaign, enrollment, email, reminder=True
            )
        except (MailDeliveryError, MailTemporarilyUnavailable):
            return "failed"  # a reminder is best effort: never sent twice, never retried
        prompt.mark_reminder_sent(message_id, self.clock())
        return self._save_outcome(prompt, "reminded")

    def _recipient(self, prompt: Prompt) -> tuple[Campaign, Enrollment, str | None]:
        """The prompt's campaign and participant, and the address (None once erased)."""
        campaign = self._get(prompt.campaign_id, Campaign, "no such campaign")
        enrollment = self._get(prompt.enrollment_id, Enrollment, "no such participant")
        return (
            campaign,
            enrollment,
            self.vault.unseal(enrollment.subject_id, enrollment.sealed_email),
        )

    def _mail(
        self,
        mailer: Mailer,
        public_url: str,
        token: str,
        prompt: Prompt,
        campaign: Campaign,
        enrollment: Enrollment,
        email: str,
        reminder: bool = False,
    ) -> str:
        """Emails the survey link; returns the provider's message id."""
        assert prompt.deadline is not None
        message = prompt_email(
            campaign.settings["name"],
            f"{public_url.rstrip('/')}/s/{token}",
            prompt.deadline,
            enrollment.timezone,
            reminder=reminder,
            manage_link=self._manage_link(enrollment.id, public_url),
        )
        return mailer.send(
            to=email,
            subject=message.subject,
            text=message.text,
            html=message.html,
            custom_args={"prompt_id": str(prompt.id), "campaign_id": str(campaign.id)},
            headers=message.headers,
        )

    def _manage_link(self, enrollment_id: UUID, public_url: str) -> str:
        """The participant's self-service page (pause, change times, withdraw, erase)."""
        return f"{public_url.rstrip('/')}/p/{self.links.token(MANAGE, enrollment_id)}"

    def overdue_prompt_ids(self, limit: int = 1000) -> list[UUID]:
        rows = self._read().fetch_all(
            "SELECT id FROM read.esm_prompts WHERE status IN ('sending', 'sent')"
            " AND deadline < %s ORDER BY deadline LIMIT %s",
            (self.clock(), limit),
        )
        return [row["id"] for row in rows]

    def expire_prompt(self, prompt_id: UUID) -> str:
        prompt = self._get(prompt_id, Prompt, "no such prompt")
        now = self.clock()
        if not prompt.is_overdue(now):
            return "skipped"
        prompt.expire(now)
        return self._save_outcome(prompt, "expired")

    def ended_campaign_ids(self, limit: int = 100) -> list[UUID]:
        """Active or paused campaigns whose end date has ended in their own zone and in every
        zone of their (pending or active) participants, as the read model has them."""
        rows = self._read().fetch_all(
            "SELECT c.id FROM read.esm_campaigns c WHERE c.status IN ('active', 'paused')"
            " AND %s >= ((c.end_date + 1)::timestamp AT TIME ZONE c.timezone)"
            " AND NOT EXISTS (SELECT 1 FROM read.esm_participants p"
            "   WHERE p.campaign_id = c.id AND p.status IN ('active', 'pending')"
            "   AND %s < ((c.end_date + 1)::timestamp AT TIME ZONE p.timezone))"
            " ORDER BY c.end_date LIMIT %s",
            (self.clock(), self.clock(), limit),
        )
        return [row["id"] for row in rows]

    def complete_ended_campaign(self, campaign_id: UUID) -> str:
        """Completes a campaign whose end date has ended for everyone (`Campaign.Completed`,
        by `end_date`); "skipped" when it is not over, completed already, or another writer
        came first. Safe to repeat."""
        campaign = self._get(campaign_id, Campaign, "no such campaign")
        zones = [
            row["timezone"]
            for row in self._read().fetch_all(
                "SELECT DISTINCT timezone FROM read.esm_participants"
                " WHERE campaign_id = %s AND status IN ('active', 'pending')",
                (campaign_id,),
            )
        ]
        now = self.clock()
        if not campaign.is_over(zones, now):
            return "skipped"
        campaign.complete_after_end(zones, now)
        return self._save_outcome(campaign, "completed")

    def record_email_delivery(
        self,
        prompt_id: UUID,
        outcome: DeliveryOutcome,
        occurred_at: datetime,
        message_id: str | None,
        reported_as: str | None = None,
    ) -> int:
        """Records what the mail provider reported (delivered, bounced, ...: its adapter
        maps its own words onto an outcome, and passes them on as `reported_as` for people
        reading journeys); a repeat is ignored. Returns the position (0 when nothing
        changed). Retried on the new state when another write to the prompt landed first."""
        for attempt in range(5):
            prompt = self.get_or_none(prompt_id)
            if not isinstance(prompt, Prompt):
                raise NotFound("no such prompt")
            if not prompt.record_delivery(outcome, message_id, occurred_at, reported_as):
                return 0
            try:
                return self.save_and_position(prompt)
            except ConcurrencyError:
                if attempt == 4:
                    raise
        raise AssertionError("unreachable")
