"""What a participant does with their enrollment, decided: joining (consent and the double
opt-in) and self-service (pause, change zone or window, withdraw, erase, rejoin). These are
commands of the Enrollment aggregate (domain/esm/enrollment.py), kept beside it; the events
they trigger and how each changes the enrollment are declared there."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from uuid import UUID

from domain.esm.errors import EnrollmentActive, EnrollmentNotPending, EnrollmentWithdrawn
from domain.shared.errors import Conflict, InvalidInput

MAX_PAUSE_DAYS = 60
CONFIRMATION_REQUESTS_PER_DAY = 3


class Participation:
    """Mixed into Enrollment."""

    if TYPE_CHECKING:  # the state and event methods Enrollment defines
        campaign_id: UUID
        status: str
        erased: bool
        timezone: str
        window_start: str | None
        window_end: str | None
        planned_days: set[str]
        confirmation_requests: list[datetime]
        confirmations_emailed: set[int]

        @property
        def round(self) -> int: ...

        is_paused: Callable[[datetime], bool]
        _consented: Callable[..., None]
        _confirmation_requested: Callable[..., None]
        _confirmation_emailed: Callable[..., None]
        _confirmed: Callable[..., None]
        _paused: Callable[..., None]
        _pause_ended: Callable[..., None]
        _preferences_changed: Callable[..., None]
        _withdrawn: Callable[..., None]
        _data_erased: Callable[..., None]
        _rejoined: Callable[..., None]

    def consent(self, version: int, sha256: str, statement: str, at: datetime) -> None:
        """Records what the person agreed to (the version and a digest of the text shown)."""
        if self.erased:
            raise EnrollmentWithdrawn("this participant's data was erased")
        self._consented(
            campaign_id=self.campaign_id,
            consent_version=version,
            consent_sha256=sha256,
            statement=statement,
            at=at,
        )

    def requests_today(self, at: datetime) -> int:
        return sum(1 for t in self.confirmation_requests if at - t < timedelta(days=1))

    def request_confirmation(self, at: datetime) -> int | None:
        """Asks for a (new) confirmation email; returns the request number, or None when
        today's allowance is used up (the person is not told: the page looks the same)."""
        if self.erased or self.requests_today(at) >= CONFIRMATION_REQUESTS_PER_DAY:
            return None
        number = len(self.confirmation_requests) + 1
        self._confirmation_requested(campaign_id=self.campaign_id, request=number, at=at)
        return number

    def request_time(self, request: int) -> datetime | None:
        if 1 <= request <= len(self.confirmation_requests):
            return self.confirmation_requests[request - 1]
        return None

    def record_confirmation_email(self, request: int, message_id: str, at: datetime) -> None:
        if request in self.confirmations_emailed:
            return
        self._confirmation_emailed(
            campaign_id=self.campaign_id, request=request, message_id=message_id, at=at
        )

    def confirm(self, request: int, at: datetime) -> bool:
        """Follows the confirmation link: True when this made the enrollment active."""
        if self.status == "active":
            return False
        if self.status != "pending":
            raise EnrollmentNotPending("this enrollment can no longer be confirmed")
        self._confirmed(campaign_id=self.campaign_id, request=request, at=at)
        return True

    def pause(self, days: int, at: datetime) -> datetime:
        if self.status != "active":
            raise EnrollmentWithdrawn(f"the participant is {self.status}")
        if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_PAUSE_DAYS:
            raise InvalidInput(f"days must be an integer from 1 to {MAX_PAUSE_DAYS}")
        until = at + timedelta(days=days)
        self._paused(campaign_id=self.campaign_id, until=until, at=at)
        return until

    def end_pause(self, replan_from: date, at: datetime) -> None:
        """Resumes early: the days from `replan_from` on are planned again."""
        if not self.is_paused(at):
            raise Conflict("the participation is not paused")
        self._pause_ended(
            campaign_id=self.campaign_id,
            replan_from=replan_from.isoformat(),
            round=self.round + 1,
            at=at,
        )

    def change_preferences(
        self,
        timezone: str,
        window_start: str | None,
        window_end: str | None,
        replan_from: date,
        at: datetime,
    ) -> bool:
        """New zone or window: the days from `replan_from` on are planned again (the caller
        cancels their unsent prompts). False when nothing changed."""
        if self.status in ("withdrawn",) or self.erased:
            raise EnrollmentWithdrawn("the participant has withdrawn")
        if (timezone, window_start, window_end) == (
            self.timezone,
            self.window_start,
            self.window_end,
        ):
            return False
        self._preferences_changed(
            campaign_id=self.campaign_id,
            timezone=timezone,
            window_start=window_start,
            window_end=window_end,
            replan_from=replan_from.isoformat(),
            round=self.round + 1,
            at=at,
        )
        return True

    def withdraw(self, at: datetime) -> None:
        if self.status == "withdrawn":
            raise EnrollmentWithdrawn("the participant has already withdrawn")
        self._withdrawn(campaign_id=self.campaign_id, at=at)

    def record_erasure(self, at: datetime) -> None:
        """The person had their data erased (the vault key is deleted by the caller)."""
        if self.status != "withdrawn":
            raise Conflict("withdraw before erasing")
        if self.erased:
            return
        self._data_erased(campaign_id=self.campaign_id, at=at)

    def rejoin(
        self,
        *,
        sealed_email: str,
        timezone: str,
        window_start: str | None,
        window_end: str | None,
        from_day: date,
        at: datetime,
    ) -> None:
        if self.status == "active":
            raise EnrollmentActive("the participant is already active")
        self._rejoined(
            campaign_id=self.campaign_id,
            sealed_email=sealed_email,
            timezone=timezone,
            window_start=window_start,
            window_end=window_end,
            from_day=from_day.isoformat(),
            planned_through=max(
                (d for d in self.planned_days if d < from_day.isoformat()), default=None
            ),
            round=self.round + 1,
            at=at,
        )
