"""Ending every session of an account at once (erasure; a new owner proving an address).

Refresh tokens are revoked in app.refresh_tokens; access tokens are stateless JWTs, so the
moment is recorded in app.session_ends and every authenticated request refuses a token
issued before it (one primary-key lookup per request).
"""

from __future__ import annotations

import time
from uuid import UUID

from sqlalchemy import Float, bindparam, cast, extract, func, select, update
from sqlalchemy.dialects.postgresql import insert

from infrastructure.postgres.database import Database, compiled, sql_of
from infrastructure.postgres.tables.platform import refresh_tokens, session_ends

ENDED_AT = sql_of(  # every authenticated request: compiled once
    select(cast(extract("epoch", session_ends.c.ended_at), Float).label("ended")).where(
        session_ends.c.account_id == bindparam("account_id")
    )
)


class PostgresSessions:
    def __init__(self, database: Database) -> None:
        self.database = database

    def end_all(self, account_id: UUID) -> None:
        end = insert(session_ends).values(
            account_id=account_id, ended_at=func.to_timestamp(time.time())
        )
        end = end.on_conflict_do_update(
            index_elements=[session_ends.c.account_id], set_={"ended_at": end.excluded.ended_at}
        )
        revoke = (
            update(refresh_tokens)
            .where(refresh_tokens.c.account_id == account_id, refresh_tokens.c.revoked_at.is_(None))
            .values(revoked_at=func.now())
        )
        with self.database.pool.connection() as conn, conn.transaction():
            conn.execute(*compiled(end))
            conn.execute(*compiled(revoke))

    def ended_at(self, account_id: UUID) -> float | None:
        """Unix time of the account's last "end every session", if any."""
        row = self.database.fetch_one(ENDED_AT, {"account_id": account_id})
        return float(row["ended"]) if row else None
