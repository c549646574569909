"""Applies the Alembic migrations (all branches: `heads`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config

from infrastructure.postgres.tables import MANAGED_SCHEMAS, metadata

MIGRATIONS = Path(__file__).parent / "migrations"
SCHEMA_LOCK = 7140002


def _managed(name: str | None, type_: str, parent_names: Any) -> bool:
    """Autogenerate looks at our schemas only: `events` is the library's, `public` holds
    Alembic's version table."""
    if type_ == "schema":
        return name in MANAGED_SCHEMAS
    return True


COMPARE_OPTIONS: dict[str, Any] = {
    "include_schemas": True,
    "include_name": _managed,
    "compare_type": True,
    "compare_server_default": True,
}


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", sqlalchemy_url(database_url).replace("%", "%%"))
    return config


def sqlalchemy_url(database_url: str) -> str:
    if database_url.startswith("postgresql://"):
        return "postgresql+psycopg://" + database_url[len("postgresql://") :]
    if database_url.startswith("postgres://"):
        return "postgresql+psycopg://" + database_url[len("postgres://") :]
    return database_url


def schema_drift(database_url: str) -> list[Any]:
    """What autogenerate would change to make the database match the declared tables
    (empty when migrations and declaration agree)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine, pool

    engine = create_engine(sqlalchemy_url(database_url), poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts=COMPARE_OPTIONS)
            return list(compare_metadata(context, metadata))
    finally:
        engine.dispose()


def migrate(database_url: str) -> None:
    command.upgrade(alembic_config(database_url), "heads")


def create_event_tables(database_url: str, application_names: list[str]) -> None:
    """Creates each application's events and snapshots tables once, under a lock, so that
    processes starting together never race on CREATE TABLE/TYPE."""
    from eventsourcing.persistence import InfrastructureFactory
    from eventsourcing.utils import Environment

    from infrastructure.postgres.eventstore import event_store_env

    env = event_store_env(database_url, pool_size=1, max_overflow=0, create_table=True)
    with _exclusively(database_url):
        for name in application_names:
            factory = InfrastructureFactory.construct(Environment(name, env))
            factory.application_recorder()
            factory.aggregate_recorder(purpose="snapshots")
            factory.close()


@contextmanager
def _exclusively(database_url: str) -> Iterator[None]:
    """One schema change at a time per database, whoever starts it (a session advisory
    lock, released by PostgreSQL if the process dies)."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (SCHEMA_LOCK,))
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (SCHEMA_LOCK,))


def prepare_database(database_url: str) -> None:
    """Migrations, then the event stores' tables: safe to run from several processes at once.
    Processes themselves never create tables (event_store_env sets CREATE_TABLE=n)."""
    with _exclusively(database_url):
        migrate(database_url)
    create_event_tables(database_url, ["identity", "myvod", "esm"])
