"""Self-enrollment: the researcher opens a campaign's public join page; a person consents
and asks to join; a confirmation email (double opt-in) makes them a participant.

Nobody can learn from the page whether an address is already enrolled: every valid request
gets the same answer, and whatever happens next is said only in an email to that address
(a confirmation link, or "you are already taking part" with the self-service link). An
address whose data was erased gets nothing, as the vault refuses to store it again.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta
from typing import Any
from uuid import UUID

from application.esm.links import CONFIRM, MANAGE
from application.esm.messages import already_enrolled_email, confirmation_email
from application.esm.planning import plan_upcoming_days
from application.esm.sending import SendingUseCases
from application.shared.ports import MailDeliveryError, Mailer
from domain.esm.campaign import Campaign
from domain.esm.enrollment import Enrollment, enrollment_id_for
from domain.esm.joining import CONSENT_STATEMENT, consent_digest, joinability
from domain.esm.questionnaire import storable
from domain.esm.schedule import Window, zone
from domain.shared.emails import normalise_email
from domain.shared.errors import ConcurrencyError, Conflict, Gone, InvalidInput, NotFound

JOIN_CODE = re.compile(r"^[A-Za-z0-9_-]{8,32}\Z")
CONFIRMATION_VALID = timedelta(days=7)


class StudyClosed(Gone):
    pass


class StudyFull(Conflict):
    pass


class JoiningUseCases(SendingUseCases):
    # -- the researcher ----------------------------------------------------------------
    def configure_self_enrollment(
        self, campaign: Campaign, changes: dict[str, Any], rotate: bool = False
    ) -> bool:
        """Applies the change to a loaded campaign (the caller saves it)."""
        return campaign.configure_self_enrollment(
            changes, secrets.token_urlsafe(9), self.clock(), rotate=rotate
        )

    def confirmed_count(self, campaign_id: UUID) -> int:
        row = self._read().fetch_one(
            "SELECT count(*) AS n FROM read.esm_participants"
            " WHERE campaign_id = %s AND status = 'active'",
            (campaign_id,),
        )
        return int(row["n"]) if row else 0

    # -- the public page ---------------------------------------------------------------
    def campaign_by_code(self, code: str) -> Campaign:
        if not JOIN_CODE.match(code or ""):
            raise NotFound("this link is not valid")
        row = self._read().fetch_one(
            "SELECT id FROM read.esm_campaigns WHERE join_code = %s", (code,)
        )
        campaign = self.get_or_none(row["id"]) if row else None
        if not isinstance(campaign, Campaign) or campaign.join_code != code:
            raise NotFound("this link is not valid")
        return campaign

    def join_page(self, code: str) -> dict[str, Any]:
        """What the join page shows; `open` false with a `reason` when nobody can join."""
        campaign = self.campaign_by_code(code)
        settings = campaign.self_enrollment or {}
        state = self._joinability(campaign)
        full = state.open and self._full(campaign)
        return {
            "campaign_id": campaign.id,
            "name": campaign.settings["name"],
            "description": campaign.settings["description"],
            "information": settings.get("information", ""),
            "consent_text": settings.get("consent_text", ""),
            "consent_version": settings.get("consent_version", 0),
            "consent_statement": CONSENT_STATEMENT,
            "ask_timezone": settings.get("ask_timezone", True),
            "ask_window": settings.get("ask_window", False),
            "timezone": campaign.settings["timezone"],
            "window_start": campaign.policy.window.as_strings()[0],
            "window_end": campaign.policy.window.as_strings()[1],
            "start_date": campaign.settings["start_date"],
            "end_date": campaign.settings["end_date"],
            "open": state.open and not full,
            "reason": "This study has all the participants it needs." if full else state.reason,
        }

    def _joinability(self, campaign: Campaign) -> Any:
        now = self.clock()
        today = now.astimezone(zone(campaign.settings["timezone"])).date().isoformat()
        return joinability(
            campaign.self_enrollment, campaign.status, today, campaign.settings["end_date"], now
        )

    def _full(self, campaign: Campaign) -> bool:
        cap = (campaign.self_enrollment or {}).get("max_participants")
        return cap is not None and self.confirmed_count(campaign.id) >= cap

    def request_to_join(
        self,
        code: str,
        email: str,
        timezone: str | None,
        window_start: str | None,
        window_end: str | None,
        consented: bool,
    ) -> int:
        """Validates the form and records the request; the same outcome for a new address,
        a pending one, an enrolled one and an erased one. Returns the position (0 when
        nothing was recorded)."""
        campaign = self.campaign_by_code(code)
        state = self._joinability(campaign)
        if not state.open:
            raise StudyClosed(state.reason)
        if self._full(campaign):
            raise StudyFull("This study has all the participants it needs.")
        settings = campaign.self_enrollment or {}
        if not consented:
            raise InvalidInput("please tick the consent box to take part")
        if not isinstance(email, str) or not storable(email):
            raise InvalidInput("email is not a valid address")
        email = normalise_email(email)
        tz = (timezone or "").strip() if settings.get("ask_timezone", True) else ""
        tz = tz or campaign.settings["timezone"]
        self._check_zone(tz)
        start, end = (window_start or None, window_end or None)
        if not settings.get("ask_window"):
            start = end = None
        if (start is None) != (end is None):
            raise InvalidInput("give both the start and the end of your day, or neither")
        if start is not None:
            campaign.check_window(Window.parse(start, end))
        return self._record_request(campaign, email, tz, start, end)

    def _record_request(
        self, campaign: Campaign, email: str, tz: str, start: str | None, end: str | None
    ) -> int:
        settings = campaign.self_enrollment or {}
        version = int(settings["consent_version"])
        digest = consent_digest(settings)
        now = self.clock()
        subject = self.vault.subject_for(email)
        enrollment = self.get_or_none(enrollment_id_for(campaign.id, subject))
        if enrollment is None:
            if self.vault.is_erased(subject):
                return 0
            enrollment = Enrollment.request_to_join(
                campaign_id=campaign.id,
                subject_id=subject,
                sealed_email=self.vault.seal(subject, email),
                timezone=tz,
                window_start=start,
                window_end=end,
                at=now,
            )
            enrollment.consent(version, digest, CONSENT_STATEMENT, now)
        elif not isinstance(enrollment, Enrollment) or enrollment.erased:
            return 0
        elif enrollment.status in ("pending", "withdrawn"):
            if enrollment.status == "withdrawn" or enrollment.consent_version != version:
                enrollment.consent(version, digest, CONSENT_STATEMENT, now)
            today = now.astimezone(zone(tz)).date()
            enrollment.change_preferences(tz, start, end, today, now)
        enrollment.request_confirmation(now)
        if not enrollment.pending_events:
            return 0
        try:
            return self.save_and_position(enrollment)
        except ConcurrencyError:
            return 0  # a simultaneous request for the same address got there first

    # -- the confirmation email and link -----------------------------------------------
    def send_confirmation(
        self, enrollment_id: UUID, request: int, mailer: Mailer, public_url: str
    ) -> str:
        """Outbox task: emails the confirmation link (or, to someone already taking part, a
        note with their self-service link). Idempotent: a request is emailed once; a
        redelivered task after a crash between sending and recording sends the same link."""
        enrollment = self._get(enrollment_id, Enrollment, "no such participant")
        if request in enrollment.confirmations_emailed or enrollment.erased:
            return "skipped"
        campaign = self._get(enrollment.campaign_id, Campaign, "no such campaign")
        email = self.vault.unseal(enrollment.subject_id, enrollment.sealed_email)
        if email is None or enrollment.status == "withdrawn":
            return "skipped"
        base = public_url.rstrip("/")
        manage = self._manage_link(enrollment.id, public_url)
        if enrollment.status == "pending":
            token = self.links.token(CONFIRM, enrollment.id, str(request))
            requested = enrollment.request_time(request) or self.clock()
            message = confirmation_email(
                campaign.settings["name"],
                f"{base}/join/confirm/{token}",
                requested + CONFIRMATION_VALID,
            )
        else:
            message = already_enrolled_email(campaign.settings["name"], manage)
        try:
            message_id = mailer.send(
                to=email,
                subject=message.subject,
                text=message.text,
                html=message.html,
                custom_args={"enrollment_id": str(enrollment.id), "campaign_id": str(campaign.id)},
            )
        except MailDeliveryError:
            return "undeliverable"
        enrollment.record_confirmation_email(request, message_id, self.clock())
        return self._save_outcome(enrollment, "sent")

    def enrollment_for_confirmation(self, token: str) -> tuple[Enrollment, int]:
        """The enrollment and the request a confirmation link belongs to (404 forged or
        unknown, 410 older than a week)."""
        enrollment_id = self.links.enrollment_of(token)
        enrollment = self.get_or_none(enrollment_id) if enrollment_id else None
        if not isinstance(enrollment, Enrollment):
            raise NotFound("this link is not valid")
        for number in range(len(enrollment.confirmation_requests), 0, -1):
            if self.links.verify(token, CONFIRM, enrollment.id, str(number)):
                requested = enrollment.request_time(number)
                assert requested is not None
                if self.clock() > requested + CONFIRMATION_VALID:
                    raise Gone("this confirmation link has expired; ask to join again")
                return enrollment, number
        raise NotFound("this link is not valid")

    def confirmation_page(self, token: str) -> dict[str, Any]:
        enrollment, _ = self.enrollment_for_confirmation(token)
        campaign = self._get(enrollment.campaign_id, Campaign, "no such campaign")
        return {
            "name": campaign.settings["name"],
            "status": enrollment.status,
            "timezone": enrollment.timezone,
            "manage_token": self.links.token(MANAGE, enrollment.id),
        }

    def confirm_enrollment(self, token: str) -> dict[str, Any]:
        """Makes the pending enrollment active and plans its first days (if the campaign
        runs). Following the link again changes nothing."""
        enrollment, request = self.enrollment_for_confirmation(token)
        campaign = self._get(enrollment.campaign_id, Campaign, "no such campaign")
        if enrollment.status == "pending":
            if campaign.status in ("completed", "archived"):
                raise StudyClosed("This study has ended.")
            if self._full(campaign):
                raise StudyFull("Sorry: this study filled up before you confirmed.")
        if enrollment.erased:
            raise Gone("this participant's data was erased")
        changed = enrollment.confirm(request, self.clock())
        position = 0
        if changed:
            prompts = plan_upcoming_days(
                campaign, enrollment, self.clock(), self.seed_source, self.plan_ahead_days
            )
            position = self.save_and_position(enrollment, *prompts)
        return {
            "name": campaign.settings["name"],
            "campaign_status": campaign.status,
            "start_date": campaign.settings["start_date"],
            "manage_token": self.links.token(MANAGE, enrollment.id),
            "position": position,
            "changed": changed,
        }
