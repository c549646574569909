"""The tables are declared once (infrastructure/postgres/tables) and the migrations make
exactly that: Alembic autogenerate finds nothing to change in a migrated database, and a
database made from the declaration alone has the same columns, defaults, constraints and
indexes (partial-index predicates included, which autogenerate does not compare) as one
made by the migrations."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import create_engine, pool, text

from infrastructure.bootstrap import Container
from infrastructure.postgres.migrate import prepare_database, schema_drift, sqlalchemy_url
from infrastructure.postgres.tables import MANAGED_SCHEMAS, metadata
from tests.support.servers import fresh_database

CATALOGUE = """
SELECT 'column', table_schema || '.' || table_name || '.' || column_name,
       concat_ws(' ', data_type, udt_name, is_nullable, column_default)
  FROM information_schema.columns WHERE table_schema = ANY(%(schemas)s)
UNION ALL
SELECT 'constraint', n.nspname || '.' || c.conname, pg_get_constraintdef(c.oid)
  FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
 WHERE n.nspname = ANY(%(schemas)s)
UNION ALL
SELECT 'index', schemaname || '.' || indexname, indexdef
  FROM pg_indexes WHERE schemaname = ANY(%(schemas)s)
"""


@pytest.fixture(scope="module")
def migrated(postgres_url: str) -> Iterator[str]:
    """A database of its own, made by the migrations alone (tests may add scratch tables to
    the shared one)."""
    with fresh_database(postgres_url, prefix="kairos_migrated") as url:
        prepare_database(url)
        yield url


def catalogue(url: str) -> set[tuple[str, str, str]]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(CATALOGUE, {"schemas": list(MANAGED_SCHEMAS)}).fetchall()
    return {(kind, name, definition) for kind, name, definition in rows}


def test_autogenerate_finds_no_drift_between_the_migrations_and_the_declared_tables(
    migrated: str,
) -> None:
    assert schema_drift(migrated) == []


def test_the_declared_tables_alone_make_the_schema_the_migrations_make(
    postgres_url: str, migrated: str
) -> None:
    with fresh_database(postgres_url, prefix="kairos_declared") as url:
        engine = create_engine(sqlalchemy_url(url), poolclass=pool.NullPool)
        with engine.begin() as connection:
            for schema in MANAGED_SCHEMAS:
                connection.execute(text(f"CREATE SCHEMA {schema}"))
            metadata.create_all(connection)
        engine.dispose()
        declared = catalogue(url)
    made = catalogue(migrated)
    assert declared - made == set()
    assert made - declared == set()


def test_every_table_a_projection_rebuilds_is_declared(container: Container) -> None:
    declared = set(metadata.tables)
    for projection in container.projections():
        assert projection.tables, projection.name
        assert set(projection.tables) <= declared, projection.name
