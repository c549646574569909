"""The one MetaData object and the column shorthands the declarations share."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, MetaData, text
from sqlalchemy.dialects.postgresql import TIMESTAMP

metadata = MetaData()

MANAGED_SCHEMAS = ("app", "read", "vault", "audit")
"""Schemas whose tables are all declared here (`events` belongs to the library)."""

NOW = text("now()")


def timestamptz(
    name: str, *, nullable: bool = True, default_now: bool = False, default: str | None = None
) -> Column[Any]:
    """A `timestamptz` column; `default_now` makes it `NOT NULL DEFAULT now()`, `default` is
    another server default (SQL, as PostgreSQL prints it back)."""
    if default_now:
        return Column(name, TIMESTAMP(timezone=True), nullable=False, server_default=NOW)
    server_default = text(default) if default is not None else None
    return Column(name, TIMESTAMP(timezone=True), nullable=nullable, server_default=server_default)
