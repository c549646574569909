"""The tables are declared once (infrastructure/postgres/tables) and the migrations make
exactly that: Alembic autogenerate finds nothing to change in a migrated database, and a
database made from the declaration alone has the same columns, defaults, constraints and
indexes (partial-index predicates included, which autogenerate does not compare) as one
made by the migrations."""

from __future__ import annotations

import psycopg
from sqlalchemy import create_engine, pool, text

from infrastructure.bootstrap import Container
from infrastructure.postgres.migrate import schema_drift, sqlalchemy_url
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


def catalogue(url: str) -> set[tuple[str, str, str]]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(CATALOGUE, {"schemas": list(MANAGED_SCHEMAS)}).fetchall()
    return {(kind, name, definition) for kind, name, definition in rows}


def test_autogenerate_finds_no_drift_between_the_migrations_and_the_declared_tables(
    postgres_url: str,
) -> None:
    assert schema_drift(postgres_url) == []


def test_the_declared_tables_alone_make_the_schema_the_migrations_make(
    postgres_url: str,
) -> None:
    with fresh_database(postgres_url, prefix="kairos_declared") as url:
        engine = create_engine(sqlalchemy_url(url), poolclass=pool.NullPool)
        with engine.begin() as connection:
            for schema in MANAGED_SCHEMAS:
                connection.execute(text(f"CREATE SCHEMA {schema}"))
            metadata.create_all(connection)
        engine.dispose()
        declared = catalogue(url)
    migrated = catalogue(postgres_url)
    assert declared - migrated == set()
    assert migrated - declared == set()


def test_every_table_a_projection_rebuilds_is_declared(container: Container) -> None:
    declared = set(metadata.tables)
    for projection in container.projections():
        assert projection.tables, projection.name
        assert set(projection.tables) <= declared, projection.name
