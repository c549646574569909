"""Request and response models of the routes the researcher console reads (named, for the
generated web client)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from interfaces.http.esm_models import CampaignCreate

DisplayStatus = Literal["pending", "active", "paused", "withdrawn", "erased"]
Outcome = Literal["answered", "expired", "cancelled", "pending"]
PromptStatus = Literal["scheduled", "sending", "sent", "answered", "expired", "cancelled"]


class ParticipantRow(BaseModel):
    id: UUID = Field(description="The participant's pseudonym")
    display_status: DisplayStatus
    source: Literal["researcher", "self"]
    timezone: str
    window_start: str | None
    window_end: str | None
    enrolled_at: datetime
    confirmed_at: datetime | None
    consent_version: int | None
    paused_until: datetime | None
    scheduled: int
    sent: int
    answered: int
    expired: int
    response_rate: float | None = Field(description="answered / sent")
    last_answer_at: datetime | None
    median_latency_seconds: float | None
    delivery_problem: str | None = Field(description="The latest bounce, block, ... if any")


class ParticipantTable(BaseModel):
    participants: list[ParticipantRow]


class TimelineEvent(BaseModel):
    kind: str = Field(
        description="enrolled, join_requested, consented, confirmation_emailed, confirmed,"
        " paused, resumed, preferences_changed, withdrawn, erased; for prompts: scheduled,"
        " sent, send_failed, delivery, delivery_problem, reminded, opened, answered, expired,"
        " cancelled"
    )
    at: datetime
    detail: str | None


class Journey(BaseModel):
    prompt_id: UUID
    day: date
    sequence: int
    scheduled_at: datetime
    status: PromptStatus
    outcome: Outcome
    reason: str | None = Field(description="Why it expired or was cancelled")
    events: list[TimelineEvent]


class ParticipantTimeline(BaseModel):
    participant: ParticipantRowBrief
    events: list[TimelineEvent] = Field(description="The enrollment's own events")
    journeys: list[Journey] = Field(description="One per prompt, in time order")


class ParticipantRowBrief(BaseModel):
    id: UUID
    display_status: DisplayStatus
    source: Literal["researcher", "self"]
    timezone: str
    window_start: str | None
    window_end: str | None
    enrolled_at: datetime


class Kpis(BaseModel):
    participants_active: int
    participants_paused: int
    participants_pending: int
    participants_withdrawn: int
    sent: int
    answered: int
    expired: int
    open: int = Field(description="Sent, not answered yet, not expired")
    answered_today: int = Field(description="In the campaign's time zone")
    response_rate: float | None
    median_latency_seconds: float | None


class Funnel(BaseModel):
    scheduled: int
    sent: int
    delivered: int = Field(description="Reported delivered by the provider (or opened)")
    opened: int
    answered: int


class LatencyBin(BaseModel):
    from_seconds: int
    to_seconds: int | None = Field(description="None: and longer")
    count: int


class DeliveryProblem(BaseModel):
    participant: UUID
    prompt_id: UUID | None
    at: datetime
    kind: str
    detail: str | None = Field(description="bounce, blocked, dropped, ... or the refusal")


class HeatCell(BaseModel):
    day: date
    sent: int
    answered: int
    rate: float | None


class StripBlock(BaseModel):
    prompt_id: UUID
    day: date
    scheduled_at: datetime
    status: PromptStatus
    outcome: Outcome
    reason: str | None


class MonitorRow(BaseModel):
    participant: UUID
    status: DisplayStatus
    cells: list[HeatCell] = Field(description="One per entry of `days`")
    strip: list[StripBlock] = Field(description="One block per prompt, in time order")


class Monitor(BaseModel):
    generated_at: datetime
    campaign_status: str
    kpis: Kpis
    funnel: Funnel
    latency_histogram: list[LatencyBin]
    delivery_problems: list[DeliveryProblem]
    participants_total: int
    offset: int
    days: list[date]
    participants: list[MonitorRow]


class BulkEnrollIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    csv: str = Field(
        description="A header row with `email` and optionally `timezone`, `window_start`,"
        " `window_end`; or one address per line"
    )
    dry_run: bool = Field(False, description="Check every row, enroll nobody")


class BulkRow(BaseModel):
    line: int = Field(description="Line number in the CSV (the header is line 1)")
    ok: bool
    participant: UUID | None = None
    error: str | None = None


class BulkEnrollOut(BaseModel):
    dry_run: bool
    enrolled: int
    failed: int
    rows: list[BulkRow]


class SampleParticipant(BaseModel):
    model_config = ConfigDict(extra="forbid")

    timezone: str | None = None
    window_start: str | None = None
    window_end: str | None = None


class SimulateExisting(BaseModel):
    model_config = ConfigDict(extra="forbid")

    participants: int = Field(default=1, description="Simulated participants (1 to 200)")
    timezones: list[str] | None = Field(default=None, description="Their zones, in turn")
    sample: SampleParticipant | None = Field(default=None, description="Whose calendar to draw")


class SimulateNew(CampaignCreate, SimulateExisting):
    pass


class CalendarPrompt(BaseModel):
    at: datetime
    local_time: str
    local_date: date


class CalendarDay(BaseModel):
    date: date
    weekday: str
    utc_offset: str
    dst_change: bool = Field(description="The UTC offset differs from the day before")
    prompts: list[CalendarPrompt]


class Calendar(BaseModel):
    timezone: str
    window_start: str
    window_end: str
    days: list[CalendarDay]
    dst_changes: list[date]


class Simulation(BaseModel):
    participants: int
    days: int
    prompts: int
    prompts_per_participant_day: float
    night_prompts: int = Field(description="Between 22:00 and 07:00 local time")
    min_gap_minutes: float | None
    emails: int = Field(description="Prompts plus, at most, every reminder of each")
    coverage_by_hour: list[int] = Field(description="Prompts per local hour 0..23")
    calendar: Calendar


class CheckItem(BaseModel):
    key: str
    level: Literal["ok", "info", "warning", "error"]
    message: str


class Checklist(BaseModel):
    ready: bool = Field(description="No item is an error: Launch will be accepted")
    items: list[CheckItem]


class SurveyPreviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = "Preview"
    description: str = ""
    questionnaire: dict[str, object]


class SurveyPreview(BaseModel):
    html: str = Field(description="The participant page, for an iframe's srcdoc")


class AuditCampaign(BaseModel):
    id: UUID
    owner_id: UUID
    name: str
    status: str
    timezone: str
    start_date: date
    end_date: date
    created_at: datetime
    launched_at: datetime | None
    updated_at: datetime


class AuditCampaignList(BaseModel):
    campaigns: list[AuditCampaign]


ParticipantTimeline.model_rebuild()
