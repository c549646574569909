"""Self-service from the link in every prompt email: pause for some days, change the time
zone or the daily window (the future is re-planned, DST-correct), withdraw, erase my data.
Each is one command recorded as events on the enrollment (and its prompts)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from application.esm.joining import JoiningUseCases
from application.esm.links import MANAGE
from application.esm.planning import plan_upcoming_days
from domain.esm.campaign import Campaign
from domain.esm.enrollment import Enrollment
from domain.esm.planning import draw_day
from domain.esm.prompt import Prompt
from domain.esm.schedule import Window, zone
from domain.shared.errors import Conflict, InvalidInput, NotFound


class SelfServiceUseCases(JoiningUseCases):
    def enrollment_for_manage_token(self, token: str) -> Enrollment:
        enrollment_id = self.links.enrollment_of(token)
        enrollment = self.get_or_none(enrollment_id) if enrollment_id else None
        if not isinstance(enrollment, Enrollment) or not self.links.verify(
            token, MANAGE, enrollment.id
        ):
            raise NotFound("this link is not valid")
        return enrollment

    def manage_page(self, token: str) -> dict[str, Any]:
        enrollment = self.enrollment_for_manage_token(token)
        campaign = self._get(enrollment.campaign_id, Campaign, "no such campaign")
        now = self.clock()
        window = campaign.policy.window.as_strings()
        return {
            "name": campaign.settings["name"],
            "campaign_status": campaign.status,
            "status": "erased" if enrollment.erased else enrollment.status,
            "paused_until": enrollment.paused_until if enrollment.is_paused(now) else None,
            "timezone": enrollment.timezone,
            "window_start": enrollment.window_start or window[0],
            "window_end": enrollment.window_end or window[1],
            "personal_window": enrollment.window_start is not None,
            "end_date": campaign.settings["end_date"],
        }

    def _loaded(self, token: str) -> tuple[Enrollment, Campaign]:
        enrollment = self.enrollment_for_manage_token(token)
        campaign = self._get(enrollment.campaign_id, Campaign, "no such campaign")
        return enrollment, campaign

    def _cancel_from(
        self, enrollment: Enrollment, first_day: date, reason: str, before: datetime | None = None
    ) -> tuple[list[Prompt], dict[str, int]]:
        """Cancels the unsent prompts of the planned days from `first_day` on (and before
        `before`, when given); returns them and, per day, how many were kept (sent or
        answered already)."""
        now = self.clock()
        cancelled: list[Prompt] = []
        kept: dict[str, int] = {}
        for prompt_id in enrollment.prompt_ids_from(first_day):
            prompt = self._get(prompt_id, Prompt, "no such prompt")
            if prompt.status == "scheduled" and (before is None or prompt.scheduled_at < before):
                prompt.cancel(reason, now)
                cancelled.append(prompt)
            elif prompt.status != "cancelled":
                kept[prompt.day] = kept.get(prompt.day, 0) + 1
        return cancelled, kept

    def _replan_caps(
        self, campaign: Campaign, enrollment: Enrollment, kept: dict[str, int]
    ) -> dict[str, int]:
        """A day that already sent some prompts only gets the rest of its count."""
        tz = zone(enrollment.timezone)
        window = (
            Window.parse(enrollment.window_start, enrollment.window_end)
            if enrollment.window_start
            else None
        )
        caps = {}
        for day, count in kept.items():
            full = len(draw_day(campaign, date.fromisoformat(day), tz, window, 0))
            caps[day] = full - count
        return caps

    def _replan_from(self, enrollment: Enrollment, new_zone: str) -> date:
        now = self.clock()
        return min(
            now.astimezone(zone(enrollment.timezone)).date(),
            now.astimezone(zone(new_zone)).date(),
        )

    # -- the commands ------------------------------------------------------------------
    def pause_participation(self, token: str, days: int) -> datetime:
        enrollment, _ = self._loaded(token)
        now = self.clock()
        until = enrollment.pause(days, now)
        yesterday = now.astimezone(zone(enrollment.timezone)).date() - timedelta(days=1)
        cancelled, _ = self._cancel_from(enrollment, yesterday, "participant paused", until)
        self.save_and_position(enrollment, *cancelled)
        return until

    def resume_participation(self, token: str) -> int:
        enrollment, campaign = self._loaded(token)
        now = self.clock()
        if not enrollment.is_paused(now):
            raise Conflict("your participation is not paused")
        first = self._replan_from(enrollment, enrollment.timezone)
        return self._replanned(
            enrollment, campaign, first, now, lambda: enrollment.end_pause(first, now)
        )

    def change_participant_preferences(
        self,
        token: str,
        timezone: str,
        window_start: str | None,
        window_end: str | None,
    ) -> int:
        enrollment, campaign = self._loaded(token)
        return self._change_preferences(enrollment, campaign, timezone, window_start, window_end)

    def _change_preferences(
        self,
        enrollment: Enrollment,
        campaign: Campaign,
        timezone: str,
        window_start: str | None,
        window_end: str | None,
    ) -> int:
        if enrollment.status == "withdrawn" or enrollment.erased:
            raise Conflict("you have withdrawn from this study")
        self._check_zone(timezone)
        if (window_start is None) != (window_end is None):
            raise InvalidInput("give both the start and the end of your day, or neither")
        if window_start is not None:
            window = Window.parse(window_start, window_end)
            campaign.check_window(window)
            window_start, window_end = window.as_strings()
            if (window_start, window_end) == campaign.policy.window.as_strings():
                window_start = window_end = None  # the campaign's own window
        now = self.clock()
        first = self._replan_from(enrollment, timezone)
        if (timezone, window_start, window_end) == (
            enrollment.timezone,
            enrollment.window_start,
            enrollment.window_end,
        ):
            return 0
        return self._replanned(
            enrollment,
            campaign,
            first,
            now,
            lambda: enrollment.change_preferences(timezone, window_start, window_end, first, now),
        )

    def _replanned(
        self,
        enrollment: Enrollment,
        campaign: Campaign,
        first: date,
        now: datetime,
        change: Callable[[], object],
    ) -> int:
        """Cancels the unsent prompts from `first` on, applies `change` (which starts a new
        round of prompt ids), plans the coming days afresh and saves it all at once."""
        cancelled, kept = self._cancel_from(enrollment, first, "re-planned")
        change()
        caps = self._replan_caps(campaign, enrollment, kept)
        prompts = plan_upcoming_days(
            campaign, enrollment, now, self.seed_source, self.plan_ahead_days, caps
        )
        return self.save_and_position(enrollment, *cancelled, *prompts)

    def withdraw_self(self, token: str) -> int:
        enrollment, _ = self._loaded(token)
        if enrollment.status == "withdrawn":
            return 0  # the one-click unsubscribe may come more than once
        return self._withdraw(enrollment, "withdrawn by the participant")

    def _withdraw(self, enrollment: Enrollment, reason: str) -> int:
        now = self.clock()
        enrollment.withdraw(now)
        yesterday = now.astimezone(zone(enrollment.timezone)).date() - timedelta(days=1)
        cancelled, _ = self._cancel_from(enrollment, yesterday, reason)
        return self.save_and_position(enrollment, *cancelled)

    def erase_self(self, token: str) -> int:
        """Withdraws, deletes the person's vault key (their email becomes unreadable in
        every event: crypto-shredding) and records the erasure; the read models then drop
        this participant's answers from the campaign's data."""
        enrollment, _ = self._loaded(token)
        if enrollment.erased:
            return 0
        if enrollment.status != "withdrawn":
            self._withdraw(enrollment, "withdrawn by the participant")
            enrollment = self._get(enrollment.id, Enrollment, "no such participant")
        self.vault.erase(enrollment.subject_id)
        enrollment.record_erasure(self.clock())
        return self.save_and_position(enrollment)

    def participant_pseudonym(self, token: str) -> UUID:
        return self.enrollment_for_manage_token(token).id
