"""Waits for NOTIFY from the events tables, with a timeout so a lost notification only
delays a reader by one poll interval, never stalls it."""

from __future__ import annotations

import contextlib

import psycopg
from psycopg import sql


class NotificationWaiter:
    def __init__(self, database_url: str, channels: list[str]) -> None:
        self.database_url = database_url
        self.channels = channels
        self._conn: psycopg.Connection | None = None

    def wait(self, timeout: float) -> bool:
        """True if notified, False on timeout or a broken connection (callers poll anyway)."""
        try:
            conn = self._connect()
            notified = any(True for _ in conn.notifies(timeout=timeout, stop_after=1))
            return notified
        except psycopg.Error:
            self.close()
            return False

    def _connect(self) -> psycopg.Connection:
        if self._conn is None or self._conn.closed:
            self._conn = psycopg.connect(self.database_url, autocommit=True)
            for channel in self.channels:
                self._conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(psycopg.Error):
                self._conn.close()
            self._conn = None
