"""Real PostgreSQL and Redis for tests: the machine's services when reachable, else
embedded ones. Each test session gets its own database and Redis queue, so sessions can run
side by side."""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from infrastructure.embedded import EmbeddedRedis, can_reach_redis, start_postgres
from infrastructure.postgres.database import can_connect, database_url_for

LOCAL_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
LOCAL_REDIS = "redis://127.0.0.1:6379/0"


@contextmanager
def _embedded_postgres(tmp: Path) -> Iterator[str]:
    server, uri = start_postgres(tmp, temporary=True)
    try:
        yield uri
    finally:
        server.cleanup()


@contextmanager
def _embedded_redis(tmp: Path) -> Iterator[str]:
    server = EmbeddedRedis(tmp, persist=False)
    try:
        yield server.start()
    finally:
        server.stop()


@contextmanager
def _reachable_or_embedded(
    url: str, reachable: Callable[[str], bool], embedded: Callable[[Path], Any], kind: str
) -> Iterator[str]:
    """`url` when a server answers there, else an embedded one in a temporary folder."""
    if reachable(url):
        yield url
        return
    with tempfile.TemporaryDirectory(prefix=f"kairos-{kind}-") as tmp, embedded(Path(tmp)) as found:
        yield found


def postgres_server() -> AbstractContextManager[str]:
    url = os.environ.get("TEST_DATABASE_URL") or LOCAL_POSTGRES
    return _reachable_or_embedded(url, can_connect, _embedded_postgres, "pg")


def redis_server() -> AbstractContextManager[str]:
    url = os.environ.get("TEST_REDIS_URL") or LOCAL_REDIS
    return _reachable_or_embedded(url, can_reach_redis, _embedded_redis, "redis")


@contextmanager
def fresh_database(server_url: str, prefix: str = "kairos_test") -> Iterator[str]:
    name = f"{prefix}_{secrets.token_hex(4)}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield database_url_for(server_url, name)
    finally:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
