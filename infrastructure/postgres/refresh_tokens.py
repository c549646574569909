"""Refresh-token rotation with reuse detection (app.refresh_tokens, keyed by jti).

Every refresh token is single-use. Redeeming one marks it used and issues the next token of
the same family; presenting a token that was already used (or revoked) means it was copied,
so the whole family is revoked and its holder must sign in again.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy import Update, delete, func, insert, select, update

from infrastructure.postgres.database import Database, compiled
from infrastructure.postgres.tables.platform import refresh_tokens as tokens
from infrastructure.security import InvalidToken


class RefreshTokenReused(InvalidToken):
    pass


def _revoke_family(family: str) -> Update:
    return (
        update(tokens)
        .where(tokens.c.family == family, tokens.c.revoked_at.is_(None))
        .values(revoked_at=func.now())
    )


class RefreshTokenStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    def record(self, jti: str, family: str, account_id: UUID, expires_at: datetime) -> None:
        if random.random() < 0.01:  # now and then, forget tokens that expired a week ago
            stale = (
                select(tokens.c.jti)
                .where(tokens.c.expires_at < func.now() - timedelta(days=7))
                .limit(1000)
            )
            self.database.execute(delete(tokens).where(tokens.c.jti.in_(stale.scalar_subquery())))
        self.database.execute(
            insert(tokens).values(
                jti=jti, family=family, account_id=account_id, expires_at=expires_at
            )
        )

    def redeem(self, jti: str, family: str) -> None:
        """Marks the token used, atomically; raises (and revokes the family) on reuse."""
        redeem = (
            update(tokens)
            .where(
                tokens.c.jti == jti,
                tokens.c.family == family,
                tokens.c.used_at.is_(None),
                tokens.c.revoked_at.is_(None),
                tokens.c.expires_at > func.now(),
            )
            .values(used_at=func.now())
            .returning(tokens.c.jti)
        )
        known = select(
            tokens.c.family, tokens.c.used_at.is_(None) & tokens.c.revoked_at.isnot(None)
        ).where(tokens.c.jti == jti)
        with self.database.pool.connection() as conn, conn.transaction():
            if conn.execute(*compiled(redeem)).fetchone():
                return
            row = conn.execute(*compiled(known)).fetchone()
            if row is None:
                raise InvalidToken("unknown refresh token")
            if row[1]:  # revoked without being used: the session was ended, not copied
                raise InvalidToken("this session has ended; sign in again")
            conn.execute(*compiled(_revoke_family(row[0])))
        raise RefreshTokenReused(
            "this refresh token was already used; every session of its family is revoked,"
            " sign in again"
        )

    def revoke_family(self, family: str) -> int:
        return self.database.execute(_revoke_family(family))
