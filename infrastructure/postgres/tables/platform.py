"""The platform's own state (`app`, `vault`): positions, dead letters, task effects,
accounts, sessions, idempotency, correlations. Migrations: 0001_foundation, r001, r003,
ops_0001..0003."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Index,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from infrastructure.postgres.tables.base import metadata, timestamptz

projection_positions = Table(
    "projection_positions",
    metadata,
    Column("projection", Text, nullable=False),
    Column("application", Text, nullable=False),
    Column("position", BigInteger, nullable=False, server_default=text("0")),
    timestamptz("updated_at", default_now=True),
    PrimaryKeyConstraint("projection", "application"),
    schema="app",
)

projection_failures = Table(
    "projection_failures",
    metadata,
    Column("projection", Text, nullable=False),
    Column("application", Text, nullable=False),
    Column("notification_id", BigInteger, nullable=False),
    Column("topic", Text, nullable=False),
    Column("error", Text, nullable=False),
    timestamptz("failed_at", default_now=True),
    PrimaryKeyConstraint("projection", "application", "notification_id"),
    schema="app",
)

projection_versions = Table(
    "projection_versions",
    metadata,
    Column("projection", Text, primary_key=True),
    Column("version", Integer, nullable=False),
    timestamptz("recorded_at", default_now=True),
    schema="app",
)

relay_positions = Table(
    "relay_positions",
    metadata,
    Column("application", Text, primary_key=True),
    Column("position", BigInteger, nullable=False, server_default=text("0")),
    timestamptz("updated_at", default_now=True),
    schema="app",
)

dead_letters = Table(
    "dead_letters",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("task_id", Text, nullable=False),
    Column("task_name", Text, nullable=False),
    Column("kwargs", JSONB, nullable=False),
    Column("error", Text, nullable=False),
    Column("attempts", Integer, nullable=False),
    timestamptz("failed_at", default_now=True),
    timestamptz("replayed_at"),
    schema="app",
)
Index(
    "dead_letters_task_id",
    dead_letters.c.task_id,
    unique=True,
    postgresql_where=dead_letters.c.replayed_at.is_(None),
)

task_effects = Table(
    "task_effects",
    metadata,
    Column("effect_key", Text, primary_key=True),
    Column("task_id", Text, nullable=False),
    timestamptz("done_at", default_now=True),
    schema="app",
)

event_correlations = Table(
    "event_correlations",
    metadata,
    Column("application", Text, nullable=False),
    Column("originator_id", UUID, nullable=False),
    Column("originator_version", Integer, nullable=False),
    Column("correlation_id", Text, nullable=False),
    timestamptz("recorded_at", default_now=True),
    PrimaryKeyConstraint("application", "originator_id", "originator_version"),
    Index("event_correlations_recorded_at", "recorded_at"),
    Index("event_correlations_correlation_id", "correlation_id"),
    schema="app",
)

accounts = Table(
    "accounts",
    metadata,
    Column("id", UUID, primary_key=True),
    Column("password_hash", Text, nullable=False),
    Column("roles", ARRAY(Text), nullable=False),
    Column("disabled", Boolean, nullable=False, server_default=text("false")),
    timestamptz("registered_at", nullable=False),
    Column("verified", Boolean, nullable=False, server_default=text("true")),
    Column("erased", Boolean, nullable=False, server_default=text("false")),
    schema="app",
)

session_ends = Table(
    "session_ends",
    metadata,
    Column("account_id", UUID, primary_key=True),
    timestamptz("ended_at", nullable=False),
    schema="app",
)

refresh_tokens = Table(
    "refresh_tokens",
    metadata,
    Column("jti", Text, primary_key=True),
    Column("family", Text, nullable=False),
    Column("account_id", UUID, nullable=False),
    timestamptz("issued_at", default_now=True),
    timestamptz("expires_at", nullable=False),
    timestamptz("used_at"),
    timestamptz("revoked_at"),
    Index("refresh_tokens_family", "family"),
    Index("refresh_tokens_account", "account_id"),
    schema="app",
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("scope", Text, nullable=False),
    Column("key", Text, nullable=False),
    Column("method", Text, nullable=False),
    Column("path", Text, nullable=False),
    Column("fingerprint", Text, nullable=False),
    Column("status", Integer),
    Column("headers", JSONB),
    Column("body", LargeBinary),
    timestamptz("created_at", default_now=True),
    timestamptz("completed_at"),
    timestamptz("expires_at", nullable=False, default="(now() + '24:00:00'::interval)"),
    UniqueConstraint("scope", "key", name="idempotency_keys_scope_key"),
    Index("idempotency_keys_expires_at", "expires_at"),
    schema="app",
)

webhook_events = Table(
    "webhook_events",
    metadata,
    Column("provider", Text, nullable=False),
    Column("event_id", Text, nullable=False),
    timestamptz("received_at", default_now=True),
    PrimaryKeyConstraint("provider", "event_id"),
    Index("webhook_events_received", "received_at"),
    schema="app",
)

subject_keys = Table(
    "subject_keys",
    metadata,
    Column("subject_id", UUID, primary_key=True),
    Column("key", LargeBinary, nullable=False),
    timestamptz("created_at", default_now=True),
    schema="vault",
)

erasures = Table(
    "erasures",
    metadata,
    Column("subject_id", UUID, primary_key=True),
    timestamptz("erased_at", default_now=True),
    schema="vault",
)
