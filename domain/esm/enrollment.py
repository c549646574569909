"""The Enrollment aggregate: one participant in one campaign.

Its id (uuid5 of campaign id and the vault's keyed hash of the email) is the participant's
pseudonym everywhere outside the vault, and makes enrolling the same email twice a key clash.
Each planned day is one small event recording the seed drawn and the moments it produced, so
a replay reproduces the schedule without re-drawing. A withdrawn participant may rejoin: the
same enrollment becomes active again and its days from the rejoining day on are planned
afresh, with prompt ids of a new round so they never clash with the cancelled ones.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.shared.errors import Conflict


class EnrollmentWithdrawn(Conflict):
    pass


class EnrollmentActive(Conflict):
    pass


def enrollment_id_for(campaign_id: UUID, subject_id: UUID) -> UUID:
    return uuid5(NAMESPACE_URL, f"kairos:esm:enrollment:{campaign_id}:{subject_id}")


def prompt_id_for(enrollment_id: UUID, day: date, index: int, round_: int = 0) -> UUID:
    """Round 0 is the first enrollment; each rejoin starts the next round."""
    tail = f"{day.isoformat()}:{index}" if round_ == 0 else f"r{round_}:{day.isoformat()}:{index}"
    return uuid5(NAMESPACE_URL, f"kairos:esm:prompt:{enrollment_id}:{tail}")


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
        round_ = self.round
        ids = [prompt_id_for(self.id, day, i, round_) for i in range(len(moments))]
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

    @property
    def round(self) -> int:
        return getattr(self, "_round", 0)  # snapshots taken before rejoining existed

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
