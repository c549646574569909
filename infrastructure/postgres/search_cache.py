"""The SearchCache port on PostgreSQL (app.myvod_search_cache, one row per query)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert

from infrastructure.postgres.database import Database
from infrastructure.postgres.tables.myvod import search_cache as cache


class PostgresSearchCache:
    def __init__(self, database: Database) -> None:
        self.database = database

    def fresh(self, query: str, max_age_seconds: float) -> list[dict[str, Any]] | None:
        row = self.database.fetch_one(
            select(cache.c.results).where(
                cache.c.query == query,
                cache.c.fetched_at > func.now() - timedelta(seconds=max_age_seconds),
            )
        )
        if row is None:
            return None
        results = row["results"]
        return json.loads(results) if isinstance(results, str) else list(results)

    def store(self, query: str, results: list[dict[str, Any]]) -> None:
        row = insert(cache).values(query=query, results=json.dumps(results), fetched_at=func.now())
        self.database.execute(
            row.on_conflict_do_update(
                index_elements=[cache.c.query],
                set_={"results": row.excluded.results, "fetched_at": func.now()},
            )
        )
