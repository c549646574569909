"""The Enrollment aggregate: one participant in one campaign.

Its id (uuid5 of campaign id and the vault's keyed hash of the email) is the participant's
pseudonym everywhere outside the vault, and makes enrolling the same email twice a key clash.
Each planned day is one small event recording the seed drawn and the moments it produced, so
a replay reproduces the schedule without re-drawing. A withdrawn participant may rejoin: the
same enrollment becomes active again and its days from the rejoining day on are planned
afresh, with prompt ids of a new round so they never clash with the cancelled ones.

Two ways in: a researcher enrolls someone (`Enrolled`, active at once), or a person joins
through the campaign's public page (`JoinRequested` + `Consented`, pending until they follow
the link of the confirmation email: `Confirmed`). Nothing is planned while pending.

The participant manages their own enrollment from the link in every prompt email: pause for
some days (`Paused`, `PauseEnded`), change their zone or daily window (`PreferencesChanged`,
which re-plans: a new round, so re-planned days get fresh prompt ids), withdraw,
or have their data erased (`DataErased`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.esm.errors import EnrollmentActive, EnrollmentNotPending, EnrollmentWithdrawn
from domain.esm.participation import CONFIRMATION_REQUESTS_PER_DAY, MAX_PAUSE_DAYS, Participation

__all__ = [
    "CONFIRMATION_REQUESTS_PER_DAY",
    "MAX_PAUSE_DAYS",
    "Enrollment",
    "EnrollmentActive",
    "EnrollmentNotPending",
    "EnrollmentWithdrawn",
    "enrollment_id_for",
    "prompt_id_for",
]


def enrollment_id_for(campaign_id: UUID, subject_id: UUID) -> UUID:
    return uuid5(NAMESPACE_URL, f"kairos:esm:enrollment:{campaign_id}:{subject_id}")


def prompt_id_for(enrollment_id: UUID, day: date, index: int, round_: int = 0) -> UUID:
    """Round 0 is the first enrollment; each rejoin starts the next round."""
    tail = f"{day.isoformat()}:{index}" if round_ == 0 else f"r{round_}:{day.isoformat()}:{index}"
    return uuid5(NAMESPACE_URL, f"kairos:esm:prompt:{enrollment_id}:{tail}")


class Enrollment(Participation, Aggregate):
    """Create with `Enrollment.enroll(...)` or `Enrollment.request_to_join(...)`; what the
    participant does with it is decided in `domain/esm/participation.py`."""

    class Enrolled(Aggregate.Created):
        campaign_id: UUID
        subject_id: UUID
        sealed_email: str
        timezone: str
        window_start: str | None
        window_end: str | None
        at: datetime

    class JoinRequested(Aggregate.Created):
        campaign_id: UUID
        subject_id: UUID
        sealed_email: str
        timezone: str
        window_start: str | None
        window_end: str | None
        at: datetime

        def apply(self, aggregate: Any) -> None:  # after __init__: not active yet
            aggregate.status = "pending"
            aggregate.source = "self"

    class Consented(Aggregate.Event):
        campaign_id: UUID
        consent_version: int
        consent_sha256: str
        statement: str
        at: datetime

    class ConfirmationRequested(Aggregate.Event):
        campaign_id: UUID
        request: int
        at: datetime

    class ConfirmationEmailed(Aggregate.Event):
        campaign_id: UUID
        request: int
        message_id: str
        at: datetime

    class Confirmed(Aggregate.Event):
        campaign_id: UUID
        request: int
        at: datetime

    class DayPlanned(Aggregate.Event):
        class_version = 2
        campaign_id: UUID
        day: str
        seed: int
        moments: list[str]
        prompt_ids: list[str]
        questionnaires: list[str]
        """The questionnaire of each moment (empty: every moment is the first's)."""
        at: datetime

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["questionnaires"] = []  # version 1 campaigns had one questionnaire

    class Paused(Aggregate.Event):
        campaign_id: UUID
        until: datetime
        at: datetime

    class PauseEnded(Aggregate.Event):
        campaign_id: UUID
        replan_from: str
        round: int
        at: datetime

    class PreferencesChanged(Aggregate.Event):
        campaign_id: UUID
        timezone: str
        window_start: str | None
        window_end: str | None
        replan_from: str
        round: int
        at: datetime

    class Withdrawn(Aggregate.Event):
        campaign_id: UUID
        at: datetime

    class DataErased(Aggregate.Event):
        campaign_id: UUID
        at: datetime

    class Rejoined(Aggregate.Event):
        campaign_id: UUID
        sealed_email: str
        timezone: str
        window_start: str | None
        window_end: str | None
        from_day: str
        """Local date from which days are planned afresh."""
        planned_through: str | None
        """The last day still planned (before from_day), if any."""
        round: int
        at: datetime

    @event(Enrolled)
    def __init__(
        self,
        *,
        campaign_id: UUID,
        subject_id: UUID,
        sealed_email: str,
        timezone: str,
        window_start: str | None,
        window_end: str | None,
        at: datetime,
    ) -> None:
        self._start(campaign_id, subject_id, sealed_email, timezone, window_start, window_end, at)
        self.status = "active"
        self.source = "researcher"

    def _start(
        self,
        campaign_id: UUID,
        subject_id: UUID,
        sealed_email: str,
        timezone: str,
        window_start: str | None,
        window_end: str | None,
        at: datetime,
    ) -> None:
        self.campaign_id = campaign_id
        self.subject_id = subject_id
        self.sealed_email = sealed_email
        self.timezone = timezone
        self.window_start = window_start
        self.window_end = window_end
        self.planned_days: set[str] = set()
        self.prompt_ids: list[UUID] = []
        self.prompts_by_day: dict[str, list[UUID]] = {}
        self.enrolled_at = at
        self.consent_version: int | None = None
        self.consented_at: datetime | None = None
        self.confirmation_requests: list[datetime] = []
        self.confirmations_emailed: set[int] = set()
        self.confirmed_at: datetime | None = None
        self.paused_until: datetime | None = None
        self.erased = False

    @classmethod
    def enroll(
        cls,
        *,
        campaign_id: UUID,
        subject_id: UUID,
        sealed_email: str,
        timezone: str,
        window_start: str | None,
        window_end: str | None,
        at: datetime,
    ) -> Enrollment:
        return cls._create(
            cls.Enrolled,
            id=enrollment_id_for(campaign_id, subject_id),
            campaign_id=campaign_id,
            subject_id=subject_id,
            sealed_email=sealed_email,
            timezone=timezone,
            window_start=window_start,
            window_end=window_end,
            at=at,
        )

    @classmethod
    def request_to_join(
        cls,
        *,
        campaign_id: UUID,
        subject_id: UUID,
        sealed_email: str,
        timezone: str,
        window_start: str | None,
        window_end: str | None,
        at: datetime,
    ) -> Enrollment:
        """A person asked to join through the public page: pending until confirmed."""
        return cls._create(
            cls.JoinRequested,
            id=enrollment_id_for(campaign_id, subject_id),
            campaign_id=campaign_id,
            subject_id=subject_id,
            sealed_email=sealed_email,
            timezone=timezone,
            window_start=window_start,
            window_end=window_end,
            at=at,
        )

    # -- joining: consent and double opt-in (the commands: participation.py) -----------
    @event(Consented)
    def _consented(
        self,
        campaign_id: UUID,
        consent_version: int,
        consent_sha256: str,
        statement: str,
        at: datetime,
    ) -> None:
        self.consent_version = consent_version
        self.consented_at = at
        if self.status == "withdrawn":
            self.status = "pending"  # joining again: pending until confirmed anew

    @event(ConfirmationRequested)
    def _confirmation_requested(self, campaign_id: UUID, request: int, at: datetime) -> None:
        self.confirmation_requests = [*self.confirmation_requests, at]

    @event(ConfirmationEmailed)
    def _confirmation_emailed(
        self, campaign_id: UUID, request: int, message_id: str, at: datetime
    ) -> None:
        self.confirmations_emailed = self.confirmations_emailed | {request}

    @event(Confirmed)
    def _confirmed(self, campaign_id: UUID, request: int, at: datetime) -> None:
        self.status = "active"
        self.confirmed_at = at

    # -- planning ----------------------------------------------------------------------
    def record_day(
        self,
        day: date,
        seed: int,
        moments: list[datetime],
        at: datetime,
        questionnaires: list[str] | None = None,
    ) -> list[tuple[UUID, datetime]]:
        """Records a planned day (with each moment's questionnaire, when the campaign has
        several); returns the prompt ids to create with their moments."""
        if self.status != "active":
            raise EnrollmentWithdrawn(f"the participant is {self.status}")
        if day.isoformat() in self.planned_days:
            return []
        ids = [prompt_id_for(self.id, day, i, self.round) for i in range(len(moments))]
        self._day_planned(
            campaign_id=self.campaign_id,
            day=day.isoformat(),
            seed=seed,
            moments=[m.isoformat() for m in moments],
            prompt_ids=[str(i) for i in ids],
            questionnaires=list(questionnaires or []),
            at=at,
        )
        return list(zip(ids, moments, strict=True))

    @event(DayPlanned)
    def _day_planned(
        self,
        campaign_id: UUID,
        day: str,
        seed: int,
        moments: list[str],
        prompt_ids: list[str],
        questionnaires: list[str],
        at: datetime,
    ) -> None:
        self.planned_days = self.planned_days | {day}
        ids = [UUID(p) for p in prompt_ids]
        self.prompt_ids = self.prompt_ids + ids
        self.prompts_by_day = {**self.prompts_by_day, day: self.prompts_by_day.get(day, []) + ids}

    def prompt_ids_from(self, first_day: date) -> list[UUID]:
        """The prompts of the planned days from `first_day` on (withdrawal cancels these)."""
        start = first_day.isoformat()
        return [i for day, ids in sorted(self.prompts_by_day.items()) if day >= start for i in ids]

    @property
    def round(self) -> int:
        return getattr(self, "_round", 0)  # snapshots taken before rejoining existed

    def is_paused(self, at: datetime) -> bool:
        return self.paused_until is not None and at < self.paused_until

    # -- self-service (the commands: participation.py) ----------------------------------
    @event(Paused)
    def _paused(self, campaign_id: UUID, until: datetime, at: datetime) -> None:
        self.paused_until = until

    @event(PauseEnded)
    def _pause_ended(self, campaign_id: UUID, replan_from: str, round: int, at: datetime) -> None:
        self.paused_until = None
        self._round = round
        self.planned_days = {d for d in self.planned_days if d < replan_from}

    @event(PreferencesChanged)
    def _preferences_changed(
        self,
        campaign_id: UUID,
        timezone: str,
        window_start: str | None,
        window_end: str | None,
        replan_from: str,
        round: int,
        at: datetime,
    ) -> None:
        self.timezone = timezone
        self.window_start = window_start
        self.window_end = window_end
        self._round = round
        self.planned_days = {d for d in self.planned_days if d < replan_from}

    @event(Withdrawn)
    def _withdrawn(self, campaign_id: UUID, at: datetime) -> None:
        self.status = "withdrawn"

    @event(DataErased)
    def _data_erased(self, campaign_id: UUID, at: datetime) -> None:
        self.erased = True

    @event(Rejoined)
    def _rejoined(
        self,
        campaign_id: UUID,
        sealed_email: str,
        timezone: str,
        window_start: str | None,
        window_end: str | None,
        from_day: str,
        planned_through: str | None,
        round: int,
        at: datetime,
    ) -> None:
        self.status = "active"
        self.sealed_email = sealed_email
        self.timezone = timezone
        self.window_start = window_start
        self.window_end = window_end
        self._round = round
        self.planned_days = {d for d in self.planned_days if d < from_day}
        self.paused_until = None
