"""Real PostgreSQL and Redis for tests: the machine's services when reachable, else
embedded ones. Each test session gets its own database and Redis queue, so sessions can run
side by side."""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from psycopg import sql

from infrastructure.embedded import EmbeddedRedis, can_reach_redis, start_postgres
from infrastructure.postgres.database import can_connect, database_url_for

LOCAL_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
LOCAL_REDIS = "redis://127.0.0.1:6379/0"


@contextmanager
def postgres_server() -> Iterator[str]:
    url = os.environ.get("TEST_DATABASE_URL") or LOCAL_POSTGRES
    if can_connect(url):
        yield url
        return
    with tempfile.TemporaryDirectory(prefix="kairos-pg-") as tmp:
        server, uri = start_postgres(Path(tmp), temporary=True)
        try:
            yield uri
        finally:
            server.cleanup()


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


@contextmanager
def redis_server() -> Iterator[str]:
    url = os.environ.get("TEST_REDIS_URL") or LOCAL_REDIS
    if can_reach_redis(url):
        yield url
        return
    with tempfile.TemporaryDirectory(prefix="kairos-redis-") as tmp:
        server = EmbeddedRedis(Path(tmp), persist=False)
        try:
            yield server.start()
        finally:
            server.stop()
