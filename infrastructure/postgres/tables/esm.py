"""ESMpress's read models (`read.esm_*`): campaigns, participants (pseudonyms only), prompts,
responses and the prompt-journey timeline. Migrations: esm_0001, r002, console_0001,
studies_0001, studies_0002, studies_0003."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Date, Double, Index, Integer, Table, Text, text
from sqlalchemy.dialects.postgresql import JSONB, UUID

from infrastructure.postgres.tables.base import metadata, timestamptz

campaigns = Table(
    "esm_campaigns",
    metadata,
    Column("id", UUID, primary_key=True),
    Column("owner_id", UUID, nullable=False),
    Column("name", Text, nullable=False),
    Column("description", Text, nullable=False, server_default=text("''::text")),
    Column("status", Text, nullable=False),
    Column("timezone", Text, nullable=False),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date, nullable=False),
    Column("expiry_minutes", Integer, nullable=False),
    Column("completion_minutes", Integer, nullable=False),
    Column("reminder_after_minutes", Integer),
    Column("questionnaire", JSONB, nullable=False),
    Column("questionnaire_version", Integer, nullable=False, server_default=text("1")),
    Column("schedule", JSONB, nullable=False),
    timestamptz("created_at", nullable=False),
    timestamptz("launched_at"),
    timestamptz("updated_at", nullable=False),
    Column("self_enrollment", JSONB),
    Column("join_code", Text),
    Column("reminders", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    Column("completed_by", Text),
    Column("quality", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    Column("questionnaires", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    Index("esm_campaigns_owner", "owner_id", "created_at"),
    schema="read",
)
Index(
    "esm_campaigns_join_code",
    campaigns.c.join_code,
    unique=True,
    postgresql_where=campaigns.c.join_code.isnot(None),
)

participants = Table(
    "esm_participants",
    metadata,
    Column("id", UUID, primary_key=True),
    Column("campaign_id", UUID, nullable=False),
    Column("timezone", Text, nullable=False),
    Column("window_start", Text),
    Column("window_end", Text),
    Column("status", Text, nullable=False),
    timestamptz("enrolled_at", nullable=False),
    timestamptz("withdrawn_at"),
    Column("planned_through", Date),
    timestamptz("rejoined_at"),
    Column("delivery_problem", Text),
    timestamptz("delivery_problem_at"),
    Column("source", Text, nullable=False, server_default=text("'researcher'::text")),
    Column("consent_version", Integer),
    timestamptz("consented_at"),
    timestamptz("confirmed_at"),
    timestamptz("paused_until"),
    Column("erased", Boolean, nullable=False, server_default=text("false")),
    Index("esm_participants_campaign", "campaign_id"),
    schema="read",
)

prompts = Table(
    "esm_prompts",
    metadata,
    Column("id", UUID, primary_key=True),
    Column("campaign_id", UUID, nullable=False),
    Column("participant_id", UUID, nullable=False),
    Column("day", Date, nullable=False),
    Column("sequence", Integer, nullable=False),
    timestamptz("scheduled_at", nullable=False),
    Column("status", Text, nullable=False),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    timestamptz("lease_until"),
    timestamptz("sent_at"),
    timestamptz("deadline"),
    timestamptz("reminder_due_at"),
    Column("reminded", Boolean, nullable=False, server_default=text("false")),
    timestamptz("opened_at"),
    timestamptz("answered_at"),
    Column("latency_seconds", Double),
    timestamptz("expired_at"),
    Column("expiry_reason", Text),
    timestamptz("cancelled_at"),
    Column("cancel_reason", Text),
    Column("delivery", Text),
    timestamptz("delivery_at"),
    Column("reminders_sent", Integer, nullable=False, server_default=text("0")),
    Column("timezone", Text),
    Column("questionnaire", Text, nullable=False, server_default=text("'main'::text")),
    Index("esm_prompts_campaign", "campaign_id", "participant_id"),
    schema="read",
)
Index(
    "esm_prompts_due",
    prompts.c.scheduled_at,
    postgresql_where=prompts.c.status == "scheduled",
)
Index(
    "esm_prompts_open",
    prompts.c.deadline,
    postgresql_where=prompts.c.status.in_(["sending", "sent"]),
)

responses = Table(
    "esm_responses",
    metadata,
    Column("prompt_id", UUID, primary_key=True),
    Column("campaign_id", UUID, nullable=False),
    Column("participant_id", UUID, nullable=False),
    Column("questionnaire_version", Integer, nullable=False),
    timestamptz("answered_at", nullable=False),
    Column("latency_seconds", Double, nullable=False),
    Column("answers", JSONB, nullable=False),
    Column("duration_seconds", Double),
    Column("too_fast", Boolean, nullable=False, server_default=text("false")),
    Column("straight_lined", Boolean, nullable=False, server_default=text("false")),
    Column("long_gap", Boolean, nullable=False, server_default=text("false")),
    Column("questionnaire", Text, nullable=False, server_default=text("'main'::text")),
    Index("esm_responses_campaign", "campaign_id", "answered_at"),
    schema="read",
)

timeline = Table(
    "esm_timeline",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("campaign_id", UUID, nullable=False),
    Column("participant_id", UUID, nullable=False),
    Column("prompt_id", UUID),
    timestamptz("at", nullable=False),
    Column("kind", Text, nullable=False),
    Column("detail", Text),
    Index("esm_timeline_participant", "campaign_id", "participant_id", "at"),
    Index("esm_timeline_prompt", "prompt_id"),
    schema="read",
)
Index(
    "esm_timeline_problems",
    timeline.c.campaign_id,
    timeline.c.at,
    postgresql_where=timeline.c.kind == "delivery_problem",
)
