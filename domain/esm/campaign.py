"""The Campaign aggregate: a researcher's study definition and its lifecycle.

draft -> active <-> paused -> completed -> archived (domain/esm/status.py has the table).
Only a draft can be edited; every edit of
the questionnaire bumps its version, so each response names the version it answered.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.esm.campaign_settings import normalise_settings, parsed_policy
from domain.esm.joining import normalise_self_enrollment
from domain.esm.quality import DEFAULT_QUALITY
from domain.esm.questionnaires import MAIN, as_questionnaires_change
from domain.esm.reminders import campaign_ends_at, offsets
from domain.esm.schedule import SchedulePolicy, zone
from domain.esm.status import CAMPAIGN_TRANSITIONS, CampaignStatus
from domain.shared.errors import Conflict, InvalidInput

EDITABLE = (
    "name",
    "description",
    "timezone",
    "start_date",
    "end_date",
    "expiry_minutes",
    "completion_minutes",
    "reminder_after_minutes",
    "reminders",
    "quality",
    "questionnaire",
    "schedule",
    "questionnaires",
)
COMPLETED_BY = ("researcher", "end_date")
"""Who completed a campaign: its researcher, or the end of its end date (the beat tick)."""


class CampaignStateConflict(Conflict):
    pass


class CampaignNotOver(Conflict):
    """The end date has not ended yet in every participant's zone."""


def _reminders_v1_v2(settings: dict[str, Any]) -> None:
    """Version 1 knew one optional reminder; version 2 a list of them."""
    if "reminder_after_minutes" in settings and "reminders" not in settings:
        minutes = settings["reminder_after_minutes"]
        settings["reminders"] = [{"after_minutes": minutes}] if minutes else []


class Campaign(Aggregate):
    """Create with `Campaign.create(...)`."""

    class Created(Aggregate.Created):
        class_version = 3
        campaign_id: UUID
        owner_id: UUID
        settings: dict[str, Any]
        at: datetime

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            _reminders_v1_v2(state["settings"])

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            state["settings"].setdefault("quality", dict(DEFAULT_QUALITY))

    class Updated(Aggregate.Event):
        class_version = 2
        campaign_id: UUID
        changes: dict[str, Any]
        questionnaire_version: int
        at: datetime

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            _reminders_v1_v2(state["changes"])

    class Launched(Aggregate.Event):
        campaign_id: UUID
        at: datetime

    class Paused(Aggregate.Event):
        campaign_id: UUID
        at: datetime

    class Resumed(Aggregate.Event):
        campaign_id: UUID
        at: datetime

    class Completed(Aggregate.Event):
        class_version = 2
        campaign_id: UUID
        by: str
        """`researcher`, or `end_date` when the beat tick completed it after its end."""
        at: datetime

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["by"] = "researcher"  # version 1 campaigns were only completed by hand

    class Archived(Aggregate.Event):
        campaign_id: UUID
        at: datetime

    class SelfEnrollmentChanged(Aggregate.Event):
        campaign_id: UUID
        settings: dict[str, Any]
        join_code: str
        at: datetime

    @event(Created)
    def __init__(
        self, *, campaign_id: UUID, owner_id: UUID, settings: dict[str, Any], at: datetime
    ) -> None:
        self.owner_id = owner_id
        self.settings = dict(settings)
        self.status = CampaignStatus.DRAFT
        self.questionnaire_version = 1
        self.created_at = at
        self.launched_at: datetime | None = None
        self.self_enrollment: dict[str, Any] | None = None
        self.join_code: str | None = None
        self.completed_by: str | None = None

    @classmethod
    def create(
        cls, campaign_id: UUID, owner_id: UUID, definition: dict[str, Any], at: datetime
    ) -> Campaign:
        settings = normalise_settings(definition)
        return cls._create(
            cls.Created,
            id=campaign_id,
            campaign_id=campaign_id,
            owner_id=owner_id,
            settings=settings,
            at=at,
        )

    # -- reading -----------------------------------------------------------------------
    @property
    def questionnaire(self) -> dict[str, Any]:
        return self.settings["questionnaire"]  # type: ignore[no-any-return]

    @property
    def policy(self) -> SchedulePolicy:
        """The first questionnaire's schedule."""
        return parsed_policy(self.settings["schedule"])

    @property
    def questionnaires(self) -> list[dict[str, Any]]:
        """Every questionnaire with its schedule (a campaign defined before there could be
        several has one, `main`)."""
        found = self.settings.get("questionnaires")
        if found:
            return found  # type: ignore[no-any-return]
        legacy = {**self.settings["questionnaire"], "schedule": self.settings["schedule"]}
        return [{"id": MAIN, "name": "Questionnaire", **legacy}]

    def questionnaire_for(self, questionnaire_id: str) -> dict[str, Any]:
        """The questions a prompt of that questionnaire asks (the first if unknown)."""
        every = self.questionnaires
        return next((q for q in every if q["id"] == questionnaire_id), every[0])

    def policies(self) -> list[tuple[str, SchedulePolicy]]:
        return [(q["id"], parsed_policy(q["schedule"])) for q in self.questionnaires]

    def check_window(self, window: Any) -> None:
        """A personal window must leave room for every questionnaire's schedule."""
        for _, policy in self.policies():
            policy.check_window(window)

    @property
    def quality_rules(self) -> dict[str, Any]:
        return self.settings["quality"]  # type: ignore[no-any-return]

    @property
    def reminder_offsets(self) -> list[int]:
        """Minutes after sending at which an unopened link is reminded, rising."""
        return offsets(self.settings.get("reminders", []))

    @property
    def start_date(self) -> date:
        return date.fromisoformat(self.settings["start_date"])

    @property
    def end_date(self) -> date:
        return date.fromisoformat(self.settings["end_date"])

    # -- commands ----------------------------------------------------------------------
    def update(self, changes: dict[str, Any], at: datetime) -> None:
        if self.status != CampaignStatus.DRAFT:
            raise CampaignStateConflict(
                f"the campaign is {self.status}; only a draft campaign can be edited"
            )
        unknown = sorted(set(changes) - set(EDITABLE))
        if unknown:
            raise InvalidInput(f"{unknown[0]} cannot be changed")
        base = dict(self.settings)
        changes = as_questionnaires_change(self.questionnaires, self.settings, changes)
        if "questionnaires" in changes:
            base.pop("questionnaire", None)
            base.pop("schedule", None)
        if "reminder_after_minutes" in changes and "reminders" not in changes:
            base.pop("reminders", None)  # the older field given alone replaces the list
        if "reminders" in changes and "reminder_after_minutes" not in changes:
            base.pop("reminder_after_minutes", None)
        merged = normalise_settings({**base, **changes})
        delta = {k: v for k, v in merged.items() if self.settings.get(k) != v}
        if not delta:
            return
        asked = "questionnaire" in delta or "questionnaires" in delta
        version = self.questionnaire_version + (1 if asked else 0)
        self._updated(campaign_id=self.id, changes=delta, questionnaire_version=version, at=at)

    @event(Updated)
    def _updated(
        self, campaign_id: UUID, changes: dict[str, Any], questionnaire_version: int, at: datetime
    ) -> None:
        self.settings = {**self.settings, **changes}
        self.questionnaire_version = questionnaire_version

    def launch(self, at: datetime) -> None:
        self._require("launch")
        if self.end_date < at.astimezone(zone(self.settings["timezone"])).date():
            raise CampaignStateConflict("the campaign's end_date has already passed")
        self._launched(campaign_id=self.id, at=at)

    @event(Launched)
    def _launched(self, campaign_id: UUID, at: datetime) -> None:
        self.status = CAMPAIGN_TRANSITIONS["launch"][1]
        self.launched_at = at

    def pause(self, at: datetime) -> None:
        self._require("pause")
        self._paused(campaign_id=self.id, at=at)

    @event(Paused)
    def _paused(self, campaign_id: UUID, at: datetime) -> None:
        self.status = CAMPAIGN_TRANSITIONS["pause"][1]

    def resume(self, at: datetime) -> None:
        self._require("resume")
        self._resumed(campaign_id=self.id, at=at)

    @event(Resumed)
    def _resumed(self, campaign_id: UUID, at: datetime) -> None:
        self.status = CAMPAIGN_TRANSITIONS["resume"][1]

    def complete(self, at: datetime) -> None:
        self._require("complete")
        self._completed(campaign_id=self.id, by="researcher", at=at)

    def ends_at(self, participant_zones: list[str]) -> datetime:
        """When the end date has ended in the campaign's zone and every participant's."""
        return campaign_ends_at(self.end_date, [self.settings["timezone"], *participant_zones])

    def is_over(self, participant_zones: list[str], at: datetime) -> bool:
        return self.status in CAMPAIGN_TRANSITIONS["complete"][0] and at >= self.ends_at(
            participant_zones
        )

    def complete_after_end(self, participant_zones: list[str], at: datetime) -> None:
        """The campaign completes itself once its end date has ended for everyone (the
        zones of its participants, as the caller read them) ."""
        self._require("complete")
        if at < self.ends_at(participant_zones):
            raise CampaignNotOver(
                f"the end date {self.settings['end_date']} has not ended everywhere yet"
                f" (it ends at {self.ends_at(participant_zones).isoformat()})"
            )
        self._completed(campaign_id=self.id, by="end_date", at=at)

    @event(Completed)
    def _completed(self, campaign_id: UUID, by: str, at: datetime) -> None:
        self.status = CAMPAIGN_TRANSITIONS["complete"][1]
        self.completed_by = by

    def archive(self, at: datetime) -> None:
        self._require("archive")
        self._archived(campaign_id=self.id, at=at)

    @event(Archived)
    def _archived(self, campaign_id: UUID, at: datetime) -> None:
        self.status = CAMPAIGN_TRANSITIONS["archive"][1]

    def configure_self_enrollment(
        self, changes: dict[str, Any], new_code: str, at: datetime, rotate: bool = False
    ) -> bool:
        """Opens, closes or edits the public join page; allowed until the campaign ends.
        `new_code` becomes the join code when there is none yet (or when rotating: the old
        link then stops working). False when nothing changed."""
        if self.status in (CampaignStatus.COMPLETED, CampaignStatus.ARCHIVED):
            raise CampaignStateConflict(
                f"the campaign is {self.status}; self-enrollment can no longer change"
            )
        settings = normalise_self_enrollment(changes, self.self_enrollment)
        code = new_code if rotate or not self.join_code else self.join_code
        if settings == self.self_enrollment and code == self.join_code:
            return False
        self._self_enrollment_changed(campaign_id=self.id, settings=settings, join_code=code, at=at)
        return True

    @event(SelfEnrollmentChanged)
    def _self_enrollment_changed(
        self, campaign_id: UUID, settings: dict[str, Any], join_code: str, at: datetime
    ) -> None:
        self.self_enrollment = dict(settings)
        self.join_code = join_code

    def _require(self, action: str) -> None:
        allowed = CAMPAIGN_TRANSITIONS[action][0]
        if self.status not in allowed:
            raise CampaignStateConflict(
                f"cannot {action} a campaign that is {self.status}"
                f" (allowed from: {', '.join(allowed)})"
            )
