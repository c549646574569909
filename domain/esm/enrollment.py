"""The Enrollment aggregate: one participant in one campaign.

Its id (uuid5 of campaign id and the vault's keyed hash of the email) is the participant's
pseudonym everywhere outside the vault, and makes enrolling the same email twice a key clash.
Each planned day is one small event recording the seed drawn and the moments it produced, so
a replay reproduces the schedule without re-drawing.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.shared.errors import Conflict


class EnrollmentWithdrawn(Conflict):
    pass


def enrollment_id_for(campaign_id: UUID, subject_id: UUID) -> UUID:
    return uuid5(NAMESPACE_URL, f"kairos:esm:enrollment:{campaign_id}:{subject_id}")


def prompt_id_for(enrollment_id: UUID, day: date, index: int) -> UUID:
    return uuid5(NAMESPACE_URL, f"kairos:esm:prompt:{enrollment_id}:{day.isoformat()}:{index}")


class Enrollment(Aggregate):
    """Create with `Enrollment.enroll(...)`."""

    class Enrolled(Aggregate.Created):
        campaign_id: UUID
        subject_id: UUID
        sealed_email: str
        timezone: str
        window_start: str | None
        window_end: str | None
        at: datetime

    class DayPlanned(Aggregate.Event):
        campaign_id: UUID
        day: str
        seed: int
        moments: list[str]
        prompt_ids: list[str]
        at: datetime

    class Withdrawn(Aggregate.Event):
        campaign_id: UUID
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
        self.campaign_id = campaign_id
        self.subject_id = subject_id
        self.sealed_email = sealed_email
        self.timezone = timezone
        self.window_start = window_start
        self.window_end = window_end
        self.status = "active"
        self.planned_days: set[str] = set()
        self.prompt_ids: list[UUID] = []
        self.prompts_by_day: dict[str, list[UUID]] = {}
        self.enrolled_at = at

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

    def record_day(
        self, day: date, seed: int, moments: list[datetime], at: datetime
    ) -> list[tuple[UUID, datetime]]:
        """Records a planned day; returns the prompt ids to create with their moments."""
        if self.status != "active":
            raise EnrollmentWithdrawn("the participant has withdrawn")
        if day.isoformat() in self.planned_days:
            return []
        ids = [prompt_id_for(self.id, day, i) for i in range(len(moments))]
        self._day_planned(
            campaign_id=self.campaign_id,
            day=day.isoformat(),
            seed=seed,
            moments=[m.isoformat() for m in moments],
            prompt_ids=[str(i) for i in ids],
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
        at: datetime,
    ) -> None:
        self.planned_days = self.planned_days | {day}
        ids = [UUID(p) for p in prompt_ids]
        self.prompt_ids = self.prompt_ids + ids
        self.prompts_by_day = {**self.prompts_by_day, day: ids}

    def prompt_ids_from(self, first_day: date) -> list[UUID]:
        """The prompts of the planned days from `first_day` on (withdrawal cancels these)."""
        start = first_day.isoformat()
        return [i for day, ids in sorted(self.prompts_by_day.items()) if day >= start for i in ids]

    def withdraw(self, at: datetime) -> None:
        if self.status != "active":
            raise EnrollmentWithdrawn("the participant has already withdrawn")
        self._withdrawn(campaign_id=self.campaign_id, at=at)

    @event(Withdrawn)
    def _withdrawn(self, campaign_id: UUID, at: datetime) -> None:
        self.status = "withdrawn"
