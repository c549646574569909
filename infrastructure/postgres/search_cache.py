"""The SearchCache port on PostgreSQL (app.myvod_search_cache, one row per query)."""

from __future__ import annotations

import json
from typing import Any

from infrastructure.postgres.database import Database


class PostgresSearchCache:
    def __init__(self, database: Database) -> None:
        self.database = database

    def fresh(self, query: str, max_age_seconds: float) -> list[dict[str, Any]] | None:
        row = self.database.fetch_one(
            "SELECT results FROM app.myvod_search_cache WHERE query = %s"
            " AND fetched_at > now() - make_interval(secs => %s)",
            (query, max_age_seconds),
        )
        if row is None:
            return None
        results = row["results"]
        return json.loads(results) if isinstance(results, str) else list(results)

    def store(self, query: str, results: list[dict[str, Any]]) -> None:
        self.database.execute(
            "INSERT INTO app.myvod_search_cache (query, results, fetched_at) VALUES (%s, %s, now())"
            " ON CONFLICT (query) DO UPDATE SET results = EXCLUDED.results, fetched_at = now()",
            (query, json.dumps(results)),
        )
