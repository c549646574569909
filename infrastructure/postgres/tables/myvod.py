"""MyVOD's read models (`read.myvod_*`) and internal state (`app.myvod_*`). Migrations:
myvod_0001, myvod_0002, myvod_0003 (lists), myvod_0004 (suggestion feedback), myvod_0005
(calendar keys)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    PrimaryKeyConstraint,
    SmallInteger,
    Table,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from infrastructure.postgres.tables.base import metadata, timestamptz

EMPTY_ARRAY = text("'{}'::text[]")

watchlists = Table(
    "myvod_watchlists",
    metadata,
    Column("watchlist_id", UUID, primary_key=True),
    Column("account_id", UUID, nullable=False),
    Column("region", Text),
    Column("services", ARRAY(Text), nullable=False, server_default=EMPTY_ARRAY),
    timestamptz("started_at", nullable=False),
    schema="read",
)

titles = Table(
    "myvod_titles",
    metadata,
    Column("title_id", UUID, primary_key=True),
    Column("tmdb_id", Integer, nullable=False, unique=True),
    Column("title", Text),
    Column("year", Integer),
    Column("status", Text, nullable=False),
    Column("poster_path", Text),
    Column("poster_url", Text),
    Column("overview", Text),
    Column("genres", ARRAY(Text), nullable=False, server_default=EMPTY_ARRAY),
    Column("runtime", Integer),
    Column("watchmode_id", BigInteger),
    timestamptz("registered_at", nullable=False),
    timestamptz("checked_at"),
    schema="read",
)
Index("myvod_titles_checked", titles.c.checked_at.nulls_first())

items = Table(
    "myvod_items",
    metadata,
    Column("watchlist_id", UUID, nullable=False),
    Column("tmdb_id", Integer, nullable=False),
    Column("title_id", UUID, nullable=False),
    Column("status", Text, nullable=False),
    Column("rating", SmallInteger),
    Column("source", Text, nullable=False),
    timestamptz("added_at", nullable=False),
    timestamptz("watched_at"),
    PrimaryKeyConstraint("watchlist_id", "tmdb_id"),
    Index("myvod_items_title", "title_id"),
    Index("myvod_items_tmdb", "tmdb_id"),
    schema="read",
)

offers = Table(
    "myvod_offers",
    metadata,
    Column("title_id", UUID, nullable=False),
    Column("region", Text, nullable=False),
    Column("service", Text, nullable=False),
    Column("type", Text, nullable=False),
    Column("url", Text),
    timestamptz("since", nullable=False),
    PrimaryKeyConstraint("title_id", "region", "service", "type"),
    schema="read",
)

availability_changes = Table(
    "myvod_availability_changes",
    metadata,
    Column("title_id", UUID, nullable=False),
    timestamptz("at", nullable=False),
    Column("change", Text, nullable=False),
    Column("region", Text, nullable=False),
    Column("service", Text, nullable=False),
    Column("type", Text, nullable=False),
    PrimaryKeyConstraint("title_id", "at", "change", "region", "service", "type"),
    schema="read",
)

suggestions = Table(
    "myvod_suggestions",
    metadata,
    Column("watchlist_id", UUID, primary_key=True),
    Column("request_id", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("items", JSONB, nullable=False),
    Column("source", Text),
    Column("note", Text),
    timestamptz("requested_at", nullable=False),
    timestamptz("answered_at"),
    schema="read",
)

suggestion_feedback = Table(
    "myvod_suggestion_feedback",
    metadata,
    Column("watchlist_id", UUID, nullable=False),
    Column("key", Text, nullable=False),
    Column("tmdb_id", Integer),
    Column("title", Text, nullable=False),
    Column("year", Integer),
    Column("verdict", Text, nullable=False),
    timestamptz("given_at", nullable=False),
    PrimaryKeyConstraint("watchlist_id", "key"),
    schema="read",
)

alerts = Table(
    "myvod_alerts",
    metadata,
    Column("watchlist_id", UUID, nullable=False),
    Column("change_key", Text, nullable=False),
    Column("tmdb_id", Integer, nullable=False),
    Column("offers", JSONB, nullable=False),
    timestamptz("raised_at", nullable=False),
    PrimaryKeyConstraint("watchlist_id", "change_key"),
    schema="read",
)

notes = Table(
    "myvod_notes",
    metadata,
    Column("watchlist_id", UUID, nullable=False),
    Column("tmdb_id", Integer, nullable=False),
    Column("note", Text),
    PrimaryKeyConstraint("watchlist_id", "tmdb_id"),
    schema="app",
)

search_cache = Table(
    "myvod_search_cache",
    metadata,
    Column("query", Text, primary_key=True),
    Column("results", JSONB, nullable=False),
    timestamptz("fetched_at", default_now=True),
    schema="app",
)


lists = Table(
    "myvod_lists",
    metadata,
    Column("list_id", UUID, primary_key=True),
    Column("owner_id", UUID, nullable=False),
    Column("name", Text, nullable=False),
    timestamptz("created_at", nullable=False),
    Index("myvod_lists_owner", "owner_id"),
    schema="read",
)

list_items = Table(
    "myvod_list_items",
    metadata,
    Column("list_id", UUID, nullable=False),
    Column("tmdb_id", Integer, nullable=False),
    Column("title_id", UUID, nullable=False),
    Column("rank", Integer, nullable=False),
    Column("tags", ARRAY(Text), nullable=False, server_default=EMPTY_ARRAY),
    timestamptz("added_at", nullable=False),
    PrimaryKeyConstraint("list_id", "tmdb_id"),
    schema="read",
)

list_members = Table(
    "myvod_list_members",
    metadata,
    Column("list_id", UUID, nullable=False),
    Column("account_id", UUID, nullable=False),
    PrimaryKeyConstraint("list_id", "account_id"),
    Index("myvod_list_members_account", "account_id"),
    schema="read",
)

list_shares = Table(
    "myvod_list_shares",
    metadata,
    Column("secret_hash", Text, primary_key=True),
    Column("list_id", UUID, nullable=False, unique=True),
    timestamptz("shared_at", nullable=False),
    schema="app",
)

calendar_keys = Table(
    "myvod_calendar_keys",
    metadata,
    Column("key_hash", Text, primary_key=True),
    Column("watchlist_id", UUID, nullable=False, unique=True),
    timestamptz("issued_at", nullable=False),
    schema="app",
)
