"""Request and response models of the ESMpress researcher routes (named, for typed clients)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, model_validator

QuestionType = Literal["slider", "likert", "single_choice", "multi_choice", "text", "number"]


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="Letters, digits and _; starts with a letter (a CSV column)")
    type: QuestionType
    text: str
    required: bool = True
    min: float | None = Field(None, description="slider, number")
    max: float | None = Field(None, description="slider, number")
    step: float | None = Field(None, description="slider")
    points: int | None = Field(None, description="likert: 2 to 11")
    labels: list[str] | None = Field(None, description="likert: both ends, or every point")
    options: list[str] | None = Field(None, description="single_choice, multi_choice")
    max_length: int | None = Field(None, description="text")
    show_if: dict[str, Any] | None = Field(
        None,
        description="Shown only when {question: an earlier id, equals|in|gt|lt: value} holds",
    )
    randomize: bool | None = Field(None, description="choice questions: shuffle the options")


class Questionnaire(BaseModel):
    questions: list[Question]
    randomize: bool | None = Field(
        None, description="Shuffle the questions (each kept with those that depend on it)"
    )


class Burst(BaseModel):
    model_config = ConfigDict(extra="forbid")

    on_days: int = Field(description="Days of sampling in a row (1 to 365)")
    off_days: int = Field(description="Days without sampling after them (1 to 365)")


class Schedule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["random", "fixed", "interval"]
    prompts_per_day: int | None = Field(None, description="random: prompts a day")
    window_start: str | None = Field(None, description="local HH:MM, default 09:00")
    window_end: str | None = Field(None, description="local HH:MM, default 21:00")
    min_gap_minutes: int | None = Field(None, description="random: minimum minutes apart")
    times: list[str] | None = Field(None, description="fixed: local HH:MM times")
    every_minutes: int | None = Field(None, description="interval: minutes between prompts")
    days_of_week: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]] | None = Field(
        None, description="Sample only on these local weekdays"
    )
    every_n_days: int | None = Field(
        None, description="Sample on study day 1, 1 + n, 1 + 2n, ... (from start_date)"
    )
    burst: Burst | None = Field(
        None, description="on_days of sampling then off_days without, repeated from start_date"
    )


class Reminder(BaseModel):
    model_config = ConfigDict(extra="forbid")

    after_minutes: int = Field(description="Minutes after the link was sent (1 .. expiry - 1)")


class QualityRules(BaseModel):
    """When an answer is flagged for a look (docs/esmpress.md, "Quality flags"); a rule left
    out keeps its default."""

    model_config = ConfigDict(extra="forbid")

    min_seconds_per_item: float | None = Field(
        None, description="too_fast below this many seconds per question (default 1; 0-60)"
    )
    straight_line_min_items: int | None = Field(
        None, description="straight_lined from this many rating answers (default 3; 2-100)"
    )
    long_gap_minutes: int | None = Field(
        None, description="long_gap above these minutes from open to answer (default 10)"
    )


REMINDERS_DESCRIPTION = (
    "Up to 3 reminders to a participant who has not opened the link, at rising offsets"
    " before it expires; replaces reminder_after_minutes (its first offset)"
)


class QuestionnaireIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="Letters, digits and _; starts with a letter (32 at most)")
    name: str = Field(description="What researchers call it (Morning, Momentary, Evening)")
    questions: list[Question]
    randomize: bool | None = Field(None, description="Shuffle the questions")
    schedule: Schedule


class CampaignCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    description: str = ""
    timezone: str = Field(description="IANA zone, the participants' default")
    start_date: date
    end_date: date
    expiry_minutes: int = Field(description="minutes a sent link stays open if not opened")
    completion_minutes: int = Field(30, description="minutes to finish once the link is opened")
    reminder_after_minutes: int | None = Field(None, description="one reminder (older form)")
    reminders: list[Reminder] | None = Field(None, description=REMINDERS_DESCRIPTION)
    quality: QualityRules | None = Field(None, description="thresholds of the quality flags")
    questionnaire: Questionnaire | None = Field(
        None, description="One questionnaire (with `schedule`); or give `questionnaires`"
    )
    schedule: Schedule | None = None
    questionnaires: list[QuestionnaireIn] | None = Field(
        None, description="Several questionnaires, each with its own schedule (1 to 5)"
    )


class SelfEnrollmentPatch(BaseModel):
    """Only the fields given change. Opening needs a consent text."""

    model_config = ConfigDict(extra="forbid")

    open: bool | None = Field(None, description="Whether the public join page takes people")
    information: str | None = Field(None, description="The information sheet (plain text)")
    consent_text: str | None = Field(None, description="What participants consent to")
    max_participants: int | None = Field(None, description="Cap on confirmed participants")
    closes_at: datetime | None = Field(None, description="No new requests after this instant")
    ask_timezone: bool | None = Field(None, description="Ask for a time zone (default true)")
    ask_window: bool | None = Field(None, description="Ask for a personal daily window")


class SelfEnrollmentOut(BaseModel):
    open: bool
    information: str
    consent_text: str
    consent_version: int = Field(description="Bumped by every change of information or text")
    max_participants: int | None
    closes_at: datetime | None
    ask_timezone: bool
    ask_window: bool


class CampaignPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    self_enrollment: SelfEnrollmentPatch | None = Field(
        None, description="Allowed while draft, active or paused (the rest: draft only)"
    )
    rotate_join_code: bool | None = Field(
        None, description="A new join link; the old one stops working"
    )

    name: str | None = None
    description: str | None = None
    timezone: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    expiry_minutes: int | None = None
    completion_minutes: int | None = None
    reminder_after_minutes: int | None = None
    reminders: list[Reminder] | None = Field(None, description=REMINDERS_DESCRIPTION)
    quality: QualityRules | None = None
    questionnaire: Questionnaire | None = None
    schedule: Schedule | None = None
    questionnaires: list[QuestionnaireIn] | None = None


class CampaignCounts(BaseModel):
    participants: int = 0
    scheduled: int = 0
    sending: int = 0
    sent: int = 0
    answered: int = 0
    expired: int = 0
    cancelled: int = 0


class CampaignOut(BaseModel):
    id: UUID
    owner_id: UUID
    status: Literal["draft", "active", "paused", "completed", "archived"]
    name: str
    description: str
    timezone: str
    start_date: date
    end_date: date
    expiry_minutes: int
    completion_minutes: int
    reminder_after_minutes: int | None
    reminders: list[Reminder] = Field(default_factory=list)
    questionnaire: dict[str, Any] = Field(description="The first questionnaire's questions")
    questionnaires: list[dict[str, Any]] = Field(
        default_factory=list, description="Every questionnaire: id, name, questions, schedule"
    )
    questionnaire_version: int
    schedule: dict[str, Any]
    created_at: datetime
    launched_at: datetime | None
    completed_by: Literal["researcher", "end_date"] | None = Field(
        None, description="Who completed it: its researcher, or the end of its end_date"
    )
    counts: CampaignCounts
    self_enrollment: SelfEnrollmentOut | None = None
    join_code: str | None = None
    join_url: str | None = Field(
        default=None, description="{PUBLIC_URL}/join/{code} once configured"
    )


class CampaignList(BaseModel):
    campaigns: list[CampaignOut]


class ParticipantCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str
    timezone: str | None = None
    window_start: str | None = Field(None, description="personal window, local HH:MM")
    window_end: str | None = None


class ParticipantOut(BaseModel):
    id: UUID = Field(description="The participant's pseudonym")
    campaign_id: UUID
    timezone: str
    window_start: str | None
    window_end: str | None
    status: Literal["pending", "active", "withdrawn"] = Field(
        description="pending: joined through the page, not confirmed yet"
    )
    enrolled_at: datetime
    planned_through: date | None = None
    rejoined_at: datetime | None = Field(
        default=None, description="when a withdrawn participant rejoined"
    )
    deliverable: bool = Field(
        default=True, description="false when the last prompt email could not be delivered"
    )
    delivery_problem: str | None = Field(
        default=None, description="why the address takes no mail (undeliverable, bounce, dropped)"
    )
    delivery_problem_at: datetime | None = None

    source: Literal["researcher", "self"] = "researcher"
    consent_version: int | None = None
    consented_at: datetime | None = None
    confirmed_at: datetime | None = None
    paused_until: datetime | None = Field(
        default=None, description="Paused by the participant until"
    )
    erased: bool = Field(default=False, description="The participant had their data erased")

    @model_validator(mode="after")
    def _deliverable(self) -> ParticipantOut:
        self.deliverable = self.delivery_problem is None
        return self


class ParticipantList(BaseModel):
    participants: list[ParticipantOut]


class PromptOut(BaseModel):
    id: UUID
    participant: UUID
    questionnaire: str = Field("main", description="The questionnaire it asks")
    day: date
    sequence: int
    scheduled_at: datetime
    status: Literal["scheduled", "sending", "sent", "answered", "expired", "cancelled"]
    sent_at: datetime | None
    deadline: datetime | None
    opened_at: datetime | None
    answered_at: datetime | None
    latency_seconds: float | None
    expired_at: datetime | None
    expiry_reason: str | None
    cancel_reason: str | None
    reminded: bool
    reminders_sent: int = Field(0, description="The number of the last reminder sent (0..3)")
    delivery: str | None


class PromptList(BaseModel):
    prompts: list[PromptOut]


class Compliance(BaseModel):
    scheduled: int
    sent: int
    answered: int
    expired: int
    expired_not_opened: int = Field(description="expired without the link being opened")
    expired_not_finished: int = Field(description="opened, but not submitted in time")
    response_rate: float | None = Field(description="answered / sent")
    median_latency_seconds: float | None = Field(description="sent to answered")


class ParticipantCompliance(Compliance):
    participant: UUID
    status: str
    delivery_problem: str | None = Field(
        default=None, description="set when the participant's address takes no mail"
    )


class QuestionnaireCompliance(Compliance):
    questionnaire: str = Field(description="The questionnaire's id")


class ComplianceReport(BaseModel):
    totals: Compliance
    questionnaires: list[QuestionnaireCompliance] = Field(
        default_factory=list, description="The same figures for each questionnaire"
    )
    participants: list[ParticipantCompliance]


class ResponseOut(BaseModel):
    prompt_id: UUID
    participant: UUID
    questionnaire: str = Field("main", description="The questionnaire answered")
    questionnaire_version: int
    scheduled_at: datetime
    sent_at: datetime | None
    answered_at: datetime
    latency_seconds: float
    duration_seconds: float | None = Field(
        None, description="From the first open of the link to the answer"
    )
    flag_too_fast: bool = Field(False, description="Faster than the per-item threshold")
    flag_straight_lined: bool = Field(False, description="Every rating at one scale point")
    flag_long_gap: bool = Field(False, description="A long gap between opening and answering")
    answers: dict[str, Any]


class ResponseList(BaseModel):
    responses: list[ResponseOut]
