"""The audit hash chain and campaign stream index (`audit`). Migration: audit_0001 (which
also makes `chain_anchors` append-only with a trigger)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, LargeBinary, PrimaryKeyConstraint, Table, Text
from sqlalchemy.dialects.postgresql import UUID

from infrastructure.postgres.tables.base import metadata, timestamptz

chain_links = Table(
    "chain_links",
    metadata,
    Column("application", Text, nullable=False),
    Column("notification_id", BigInteger, nullable=False),
    Column("originator_id", UUID, nullable=False),
    Column("originator_version", BigInteger, nullable=False),
    Column("topic", Text, nullable=False),
    Column("event_hash", LargeBinary, nullable=False),
    Column("link_hash", LargeBinary, nullable=False),
    PrimaryKeyConstraint("application", "notification_id"),
    schema="audit",
)

chain_heads = Table(
    "chain_heads",
    metadata,
    Column("application", Text, primary_key=True),
    Column("notification_id", BigInteger, nullable=False),
    Column("event_count", BigInteger, nullable=False),
    Column("link_hash", LargeBinary, nullable=False),
    schema="audit",
)

chain_anchors = Table(
    "chain_anchors",
    metadata,
    Column("application", Text, nullable=False),
    Column("notification_id", BigInteger, nullable=False),
    Column("event_count", BigInteger, nullable=False),
    Column("link_hash", LargeBinary, nullable=False),
    timestamptz("anchored_at", default_now=True),
    PrimaryKeyConstraint("application", "notification_id"),
    schema="audit",
)

campaign_streams = Table(
    "campaign_streams",
    metadata,
    Column("campaign_id", UUID, nullable=False),
    Column("aggregate_id", UUID, nullable=False),
    Column("aggregate_type", Text, nullable=False),
    Column("first_notification_id", BigInteger, nullable=False),
    PrimaryKeyConstraint("campaign_id", "aggregate_id"),
    schema="audit",
)
