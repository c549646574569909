"""Single active instance by PostgreSQL session advisory lock; the others wait as standby."""

from __future__ import annotations

import contextlib
import hashlib

import psycopg


def lock_key(name: str) -> int:
    return int.from_bytes(
        hashlib.sha256(f"kairos:{name}".encode()).digest()[:8], "big", signed=True
    )


class Leadership:
    """Holds a session-level advisory lock on its own connection. If the process dies, the
    connection closes and PostgreSQL releases the lock, so a standby takes over."""

    def __init__(self, database_url: str, name: str) -> None:
        self.database_url = database_url
        self.key = lock_key(name)
        self._conn: psycopg.Connection | None = None

    def try_acquire(self) -> bool:
        try:
            if self._conn is None or self._conn.closed:
                self._conn = psycopg.connect(self.database_url, autocommit=True)
            row = self._conn.execute("SELECT pg_try_advisory_lock(%s)", (self.key,)).fetchone()
            return bool(row and row[0])
        except psycopg.Error:
            self.release()
            return False

    def still_held(self) -> bool:
        """False when the lock's connection broke (then another instance may lead)."""
        if self._conn is None or self._conn.closed:
            return False
        try:
            self._conn.execute("SELECT 1")
            return True
        except psycopg.Error:
            self.release()
            return False

    def release(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(psycopg.Error):
                self._conn.close()
            self._conn = None
