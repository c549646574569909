"""Every table the migrations create, declared once as SQLAlchemy Core metadata.

The Alembic environment compares it with the database (`target_metadata`), and
tests/integration/test_schema_drift.py fails when a migration and this declaration disagree:
to add or change a table, change it here and write the revision that makes the database
match (autogenerate drafts it; see docs/contributing.md). The events tables are the
eventsourcing library's and are not declared here. Queries in infrastructure/ use these
objects where that reads better; hot paths (the projector's pipelines, COPY in backups)
stay raw psycopg.
"""

from __future__ import annotations

from infrastructure.postgres.tables import audit, esm, myvod, platform
from infrastructure.postgres.tables.base import MANAGED_SCHEMAS, metadata

__all__ = ["MANAGED_SCHEMAS", "audit", "esm", "metadata", "myvod", "platform"]
