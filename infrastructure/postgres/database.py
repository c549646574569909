"""A pooled connection to PostgreSQL for read models, positions and the vault.

Statements are SQL strings or SQLAlchemy Core statements over the declared tables
(infrastructure/postgres/tables), compiled for psycopg here and run on the same pool.
"""

from __future__ import annotations

import time
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool
from sqlalchemy.dialects.postgresql.psycopg import dialect as psycopg_dialect
from sqlalchemy.sql.expression import ClauseElement

_DIALECT = psycopg_dialect()

Statement = str | ClauseElement
"""Raw SQL (with its params) or a Core statement (carrying its own)."""


def sql_of(statement: ClauseElement) -> str:
    """A Core statement's SQL, compiled once (at import, say) for a path run often; its
    `bindparam("name")`s are filled by name: `fetch_one(SQL, {"name": value})`."""
    return str(statement.compile(dialect=_DIALECT))


def compiled(statement: Statement, params: Any = None) -> tuple[str, Any]:
    """The SQL and parameters psycopg runs for a statement; a Core statement's bound values
    are its parameters."""
    if isinstance(statement, str):
        return statement, params
    sql = statement.compile(dialect=_DIALECT, compile_kwargs={"render_postcompile": True})
    return str(sql), sql.params


def connect_pool(database_url: str, max_size: int = 10, name: str = "kairos") -> ConnectionPool:
    pool = ConnectionPool(
        database_url,
        min_size=1,
        max_size=max_size,
        kwargs={"autocommit": True},
        name=name,
        open=True,
        check=ConnectionPool.check_connection,
    )
    pool.wait(timeout=30)
    return pool


class Database:
    """Implements the application's ReadModels port."""

    def __init__(self, pool: ConnectionPool) -> None:
        self.pool = pool

    def fetch_one(self, statement: Statement, params: Any = None) -> dict[str, Any] | None:
        with self.pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            cur.execute(*compiled(statement, params))
            return cur.fetchone()

    def fetch_all(self, statement: Statement, params: Any = None) -> list[dict[str, Any]]:
        with self.pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            cur.execute(*compiled(statement, params))
            return cur.fetchall()

    def execute(self, statement: Statement, params: Any = None) -> int:
        with self.pool.connection() as conn:
            return conn.execute(*compiled(statement, params)).rowcount

    def position(self, projection: str, application: str) -> int:
        row = self.fetch_one(
            "SELECT position FROM app.projection_positions WHERE projection = %s"
            " AND application = %s",
            (projection, application),
        )
        return int(row["position"]) if row else 0

    def wait_for(self, projection: str, application: str, position: int, timeout: float) -> bool:
        """Polls the projection's position with a short backoff until it reaches `position`."""
        deadline = time.monotonic() + timeout
        delay = 0.005
        while True:
            if self.position(projection, application) >= position:
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(delay)
            delay = min(delay * 2, 0.1)

    def close(self) -> None:
        self.pool.close()


def can_connect(url: str, timeout: float = 2.0) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=int(max(1, timeout))):
            return True
    except psycopg.Error:
        return False


def database_url_for(server_url: str, dbname: str) -> str:
    """The same server's URL for another database, always in URL form (Alembic needs it)."""
    from urllib.parse import quote, urlencode

    from psycopg.conninfo import conninfo_to_dict

    info = conninfo_to_dict(server_url)
    user = quote(str(info.get("user", "postgres")))
    password = info.get("password")
    host = str(info.get("host", ""))
    port = str(info.get("port", ""))
    netloc = user + (f":{quote(str(password))}" if password else "") + "@"
    query: dict[str, str] = {}
    if host.startswith("/"):
        query["host"] = host
        if port:
            query["port"] = port
    elif host:
        netloc += host + (f":{port}" if port else "")
    suffix = f"?{urlencode(query)}" if query else ""
    return f"postgresql://{netloc}/{quote(dbname)}{suffix}"
