"""Refresh-token rotation with reuse detection (app.refresh_tokens, keyed by jti).

Every refresh token is single-use. Redeeming one marks it used and issues the next token of
the same family; presenting a token that was already used (or revoked) means it was copied,
so the whole family is revoked and its holder must sign in again.
"""

from __future__ import annotations

import random
from datetime import datetime
from uuid import UUID

from infrastructure.postgres.database import Database
from infrastructure.security import InvalidToken


class RefreshTokenReused(InvalidToken):
    pass


class RefreshTokenStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    def record(self, jti: str, family: str, account_id: UUID, expires_at: datetime) -> None:
        if random.random() < 0.01:  # now and then, forget tokens that expired a week ago
            self.database.execute(
                "DELETE FROM app.refresh_tokens WHERE jti IN (SELECT jti FROM"
                " app.refresh_tokens WHERE expires_at < now() - interval '7 days' LIMIT 1000)"
            )
        self.database.execute(
            "INSERT INTO app.refresh_tokens (jti, family, account_id, expires_at)"
            " VALUES (%s, %s, %s, %s)",
            (jti, family, account_id, expires_at),
        )

    def redeem(self, jti: str, family: str) -> None:
        """Marks the token used, atomically; raises (and revokes the family) on reuse."""
        with self.database.pool.connection() as conn, conn.transaction():
            redeemed = conn.execute(
                "UPDATE app.refresh_tokens SET used_at = now() WHERE jti = %s AND family = %s"
                " AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()"
                " RETURNING jti",
                (jti, family),
            ).fetchone()
            if redeemed:
                return
            known = conn.execute(
                "SELECT family, used_at IS NULL AND revoked_at IS NOT NULL"
                " FROM app.refresh_tokens WHERE jti = %s",
                (jti,),
            ).fetchone()
            if known is None:
                raise InvalidToken("unknown refresh token")
            if known[1]:  # revoked without being used: the session was ended, not copied
                raise InvalidToken("this session has ended; sign in again")
            conn.execute(
                "UPDATE app.refresh_tokens SET revoked_at = now()"
                " WHERE family = %s AND revoked_at IS NULL",
                (known[0],),
            )
        raise RefreshTokenReused(
            "this refresh token was already used; every session of its family is revoked,"
            " sign in again"
        )

    def revoke_family(self, family: str) -> int:
        return self.database.execute(
            "UPDATE app.refresh_tokens SET revoked_at = now()"
            " WHERE family = %s AND revoked_at IS NULL",
            (family,),
        )
