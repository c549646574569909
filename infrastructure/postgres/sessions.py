"""Ending every session of an account at once (erasure; a new owner proving an address).

Refresh tokens are revoked in app.refresh_tokens; access tokens are stateless JWTs, so the
moment is recorded in app.session_ends and every authenticated request refuses a token
issued before it (one primary-key lookup per request).
"""

from __future__ import annotations

import time
from uuid import UUID

from infrastructure.postgres.database import Database


class PostgresSessions:
    def __init__(self, database: Database) -> None:
        self.database = database

    def end_all(self, account_id: UUID) -> None:
        now = time.time()
        with self.database.pool.connection() as conn, conn.transaction():
            conn.execute(
                "INSERT INTO app.session_ends (account_id, ended_at)"
                " VALUES (%s, to_timestamp(%s)) ON CONFLICT (account_id)"
                " DO UPDATE SET ended_at = EXCLUDED.ended_at",
                (account_id, now),
            )
            conn.execute(
                "UPDATE app.refresh_tokens SET revoked_at = now()"
                " WHERE account_id = %s AND revoked_at IS NULL",
                (account_id,),
            )

    def ended_at(self, account_id: UUID) -> float | None:
        """Unix time of the account's last "end every session", if any."""
        row = self.database.fetch_one(
            "SELECT extract(epoch FROM ended_at)::float8 AS ended FROM app.session_ends"
            " WHERE account_id = %s",
            (account_id,),
        )
        return float(row["ended"]) if row else None
