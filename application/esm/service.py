"""ESMpress use cases: campaigns, participants, planning, answering (sending lives in
sending.py, shared construction and helpers in base.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from application.esm import tokens
from application.esm.planning import plan_upcoming_days
from application.esm.selfservice import SelfServiceUseCases
from domain.esm.campaign import Campaign
from domain.esm.enrollment import Enrollment, enrollment_id_for
from domain.esm.logic import arrange, has_randomisation
from domain.esm.prompt import Prompt, PromptCancelled
from domain.esm.questionnaire import coerce_form, storable, validate_answers
from domain.esm.schedule import Window, zone
from domain.shared.emails import normalise_email
from domain.shared.errors import ConcurrencyError, Conflict, InvalidInput, NotFound

ESM_CREATION_EVENTS = (
    "Campaign.Created",
    "Enrollment.Enrolled",
    "Enrollment.JoinRequested",
    "Prompt.Scheduled",
)


class AlreadyEnrolled(Conflict):
    """The email is enrolled already: says as whom (the pseudonymous participant id and its
    status), never echoing the email itself."""

    def __init__(self, participant_id: UUID, status: str) -> None:
        super().__init__(
            f"this email is already enrolled in the campaign as participant {participant_id}"
            f" ({status})"
        )
        self.public_fields = {"participant": str(participant_id), "status": status}


@dataclass(frozen=True)
class Answered:
    position: int
    """The answer's place in the esm log (read-your-writes)."""
    answered_at: datetime


class ESMApplication(SelfServiceUseCases):
    name = "esm"

    # -- campaigns ---------------------------------------------------------------------
    def create_campaign(self, owner_id: UUID, definition: dict[str, Any]) -> tuple[UUID, int]:
        campaign = Campaign.create(uuid4(), owner_id, definition, self.clock())
        self._check_zone(campaign.settings["timezone"])
        return campaign.id, self.save_and_position(campaign)

    def campaign_for(self, owner_id: UUID | None, campaign_id: UUID) -> Campaign:
        """The campaign, if `owner_id` owns it (None: any owner)."""
        campaign = self._get(campaign_id, Campaign, "no such campaign")
        if owner_id is not None and campaign.owner_id != owner_id:
            raise NotFound("no such campaign")
        return campaign

    def update_campaign(self, owner_id: UUID, campaign_id: UUID, changes: dict[str, Any]) -> int:
        """Edits a draft; `self_enrollment` (and `rotate_join_code`) may also change while
        the campaign runs."""
        campaign = self.campaign_for(owner_id, campaign_id)
        changes = dict(changes)
        joining = changes.pop("self_enrollment", None)
        rotate = bool(changes.pop("rotate_join_code", False))
        if changes:
            campaign.update(changes, self.clock())
            self._check_zone(campaign.settings["timezone"])
        if joining is not None or rotate:
            self.configure_self_enrollment(campaign, joining or {}, rotate=rotate)
        if not campaign.pending_events:
            return 0
        return self.save_and_position(campaign)

    def duplicate_campaign(self, owner_id: UUID, campaign_id: UUID) -> tuple[UUID, int]:
        """A new draft with the same definition (not its participants, not its join link)."""
        source = self.campaign_for(owner_id, campaign_id)
        definition = dict(source.settings)
        definition["name"] = f"Copy of {definition['name']}"[:200]
        copy = Campaign.create(uuid4(), owner_id, definition, self.clock())
        if source.self_enrollment:
            joining = {
                k: v
                for k, v in source.self_enrollment.items()
                if k not in ("consent_version", "open")
            }
            self.configure_self_enrollment(copy, joining)
        return copy.id, self.save_and_position(copy)

    def launch_campaign(self, owner_id: UUID, campaign_id: UUID) -> int:
        return self._change_status(owner_id, campaign_id, Campaign.launch)

    def pause_campaign(self, owner_id: UUID, campaign_id: UUID) -> int:
        return self._change_status(owner_id, campaign_id, Campaign.pause)

    def resume_campaign(self, owner_id: UUID, campaign_id: UUID) -> int:
        return self._change_status(owner_id, campaign_id, Campaign.resume)

    def complete_campaign(self, owner_id: UUID, campaign_id: UUID) -> int:
        return self._change_status(owner_id, campaign_id, Campaign.complete)

    def archive_campaign(self, owner_id: UUID, campaign_id: UUID) -> int:
        return self._change_status(owner_id, campaign_id, Campaign.archive)

    def _change_status(
        self, owner_id: UUID, campaign_id: UUID, command: Callable[[Campaign, datetime], None]
    ) -> int:
        campaign = self.campaign_for(owner_id, campaign_id)
        command(campaign, self.clock())
        return self.save_and_position(campaign)

    # -- participants ------------------------------------------------------------------
    def enroll(
        self,
        owner_id: UUID,
        campaign_id: UUID,
        email: str,
        timezone: str | None = None,
        window_start: str | None = None,
        window_end: str | None = None,
    ) -> tuple[UUID, int]:
        """Enrolls the email, or brings a withdrawn participant back (same participant id,
        fresh prompts from today on); an active one is AlreadyEnrolled (409)."""
        campaign = self.campaign_for(owner_id, campaign_id)
        if campaign.status in ("completed", "archived"):
            raise Conflict(f"the campaign is {campaign.status}; nobody can join it")
        if not storable(email):
            raise InvalidInput("email is not a valid address")
        email = normalise_email(email)
        tz = timezone or campaign.settings["timezone"]
        self._check_zone(tz)
        if (window_start is None) != (window_end is None):
            raise InvalidInput("give both window_start and window_end, or neither")
        if window_start is not None:
            campaign.check_window(Window.parse(window_start, window_end))
        subject = self.vault.subject_for(email)
        existing = self.get_or_none(enrollment_id_for(campaign_id, subject))
        if isinstance(existing, Enrollment):
            return self._rejoin(campaign, existing, email, tz, window_start, window_end)
        enrollment = Enrollment.enroll(
            campaign_id=campaign_id,
            subject_id=subject,
            sealed_email=self.vault.seal(subject, email),
            timezone=tz,
            window_start=window_start,
            window_end=window_end,
            at=self.clock(),
        )
        prompts = self._plan(campaign, enrollment) if campaign.status == "active" else []
        try:
            position = self.save_and_position(enrollment, *prompts)
        except ConcurrencyError:
            raise AlreadyEnrolled(enrollment.id, "active") from None
        return enrollment.id, position

    def _rejoin(
        self,
        campaign: Campaign,
        enrollment: Enrollment,
        email: str,
        tz: str,
        window_start: str | None,
        window_end: str | None,
    ) -> tuple[UUID, int]:
        if enrollment.status == "active":
            raise AlreadyEnrolled(enrollment.id, enrollment.status)
        now = self.clock()
        enrollment.rejoin(
            sealed_email=self.vault.seal(enrollment.subject_id, email),
            timezone=tz,
            window_start=window_start,
            window_end=window_end,
            from_day=now.astimezone(zone(tz)).date(),
            at=now,
        )
        prompts = self._plan(campaign, enrollment)
        try:
            position = self.save_and_position(enrollment, *prompts)
        except ConcurrencyError:
            raise AlreadyEnrolled(enrollment.id, "active") from None
        return enrollment.id, position

    def withdraw(self, owner_id: UUID, campaign_id: UUID, enrollment_id: UUID) -> int:
        self.campaign_for(owner_id, campaign_id)
        enrollment = self._get(enrollment_id, Enrollment, "no such participant")
        if enrollment.campaign_id != campaign_id:
            raise NotFound("no such participant")
        now = self.clock()
        enrollment.withdraw(now)
        cancelled = []
        yesterday = now.astimezone(zone(enrollment.timezone)).date() - timedelta(days=1)
        for prompt_id in enrollment.prompt_ids_from(yesterday):
            prompt = self._get(prompt_id, Prompt, "no such prompt")
            if prompt.status == "scheduled":
                prompt.cancel("withdrawn", now)
                cancelled.append(prompt)
        return self.save_and_position(enrollment, *cancelled)

    def email_of(self, enrollment_id: UUID) -> str | None:
        enrollment = self._get(enrollment_id, Enrollment, "no such participant")
        return self.vault.unseal(enrollment.subject_id, enrollment.sealed_email)

    # -- planning ----------------------------------------------------------------------
    def _plan(self, campaign: Campaign, enrollment: Enrollment) -> list[Prompt]:
        """Plans the enrollment's upcoming days (mutates it); returns the new prompts."""
        return plan_upcoming_days(
            campaign, enrollment, self.clock(), self.seed_source, self.plan_ahead_days
        )

    def plan_enrollment(self, enrollment_id: UUID) -> int:
        enrollment = self._get(enrollment_id, Enrollment, "no such participant")
        campaign = self._get(enrollment.campaign_id, Campaign, "no such campaign")
        prompts = self._plan(campaign, enrollment)
        if not enrollment.pending_events:
            return 0
        try:
            return self.save_and_position(enrollment, *prompts)
        except ConcurrencyError:
            return 0  # another tick planned it first

    def plan_upcoming(self, campaign_id: UUID | None = None, limit: int = 500) -> int:
        """Plans every active participant whose plan does not reach far enough ahead."""
        planned = 0
        for row in self._read().fetch_all(
            "SELECT p.id FROM read.esm_participants p"
            " JOIN read.esm_campaigns c ON c.id = p.campaign_id"
            " WHERE c.status = 'active' AND p.status = 'active'"
            " AND (%s::uuid IS NULL OR c.id = %s::uuid)"
            " AND (%s AT TIME ZONE p.timezone)::date + %s >= c.start_date"
            " AND (p.planned_through IS NULL OR (p.planned_through < c.end_date"
            "      AND p.planned_through < (%s AT TIME ZONE p.timezone)::date + %s))"
            " ORDER BY p.id LIMIT %s",
            (
                campaign_id,
                campaign_id,
                self.clock(),
                self.plan_ahead_days,
                self.clock(),
                self.plan_ahead_days,
                limit,
            ),
        ):
            if self.plan_enrollment(row["id"]):
                planned += 1
        return planned

    # -- the participant ---------------------------------------------------------------
    def prompt_for_token(self, token: str) -> Prompt:
        prompt_id = tokens.prompt_id_of(token)
        prompt = self.get_or_none(prompt_id) if prompt_id else None
        if not isinstance(prompt, Prompt) or not tokens.matches(token, prompt.token_hashes):
            raise NotFound("this link is not valid")
        return prompt

    def open_survey(self, token: str) -> dict[str, Any]:
        """What the participant's page shows; the first open starts the completion window
        and, when the questionnaire randomises, draws the seed of the order shown."""
        prompt = self.prompt_for_token(token)
        now = self.clock()
        campaign = self._get(prompt.campaign_id, Campaign, "no such campaign")
        randomised = has_randomisation(campaign.questionnaire_for(prompt.questionnaire))
        prompt.open(now, self.seed_source() if randomised else None)
        if prompt.pending_events:
            try:
                self.save(prompt)
            except ConcurrencyError:
                prompt = self.prompt_for_token(token)
                prompt.ensure_open(now)
        enrollment = self._get(prompt.enrollment_id, Enrollment, "no such participant")
        return {
            "timezone": enrollment.timezone,
            "campaign": campaign.settings["name"],
            "description": campaign.settings["description"],
            "questions": arrange(
                campaign.questionnaire_for(prompt.questionnaire), prompt.order_seed
            ),
            "order_seed": prompt.order_seed,
            "deadline": prompt.deadline,
        }

    def answer(
        self, token: str, answers: Any, *, from_form: bool = False, attempts: int = 3
    ) -> Answered:
        """Records the answers once: JSON values, or an HTML form's fields (`from_form`:
        question id -> list of strings, coerced by the questionnaire). Each attempt loads the
        prompt and its campaign once. If another write to the prompt (an open in a second
        tab, a delivery event) lands first, the answer is retried on the new state, which
        refuses it if that write was an answer or an expiry."""
        for attempt in range(attempts):
            prompt = self.prompt_for_token(token)
            now = self.clock()
            prompt.ensure_open(now)
            campaign = self._get(prompt.campaign_id, Campaign, "no such campaign")
            enrollment = self._get(prompt.enrollment_id, Enrollment, "no such participant")
            if enrollment.erased:
                raise PromptCancelled("this participant's data was erased")
            questionnaire = campaign.questionnaire_for(prompt.questionnaire)
            typed = coerce_form(questionnaire, answers) if from_form else answers
            valid = validate_answers(questionnaire, typed)
            prompt.answer(valid, campaign.questionnaire_version, now)
            try:
                position = self.save_and_position(prompt)
            except ConcurrencyError:
                if attempt == attempts - 1:
                    raise
                continue
            assert prompt.answered_at is not None
            return Answered(position=position, answered_at=prompt.answered_at)
        raise AssertionError("unreachable")

    # -- history -----------------------------------------------------------------------
    def campaign_aggregate_ids(self, campaign_id: UUID) -> list[UUID]:
        """Every aggregate of a campaign (itself, enrollments, prompts), found from the
        creation events in the log. A full scan: an index projection should replace it on
        hot paths."""
        found: list[UUID] = []
        for event in self._all_events():
            if type(event).__qualname__ in ESM_CREATION_EVENTS and (
                getattr(event, "campaign_id", None) == campaign_id
            ):
                found.append(event.originator_id)
        return found

    def _all_events(self, batch: int = 1000) -> Iterator[Any]:
        start = 1
        while True:
            notifications = self.recorder.select_notifications(start=start, limit=batch)
            for notification in notifications:
                yield self.mapper.to_domain_event(notification)
            if len(notifications) < batch:
                return
            start = notifications[-1].id + 1
