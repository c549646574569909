"""The analysts' database role `kairos_analyst`: SELECT on schema `read`, nothing else, and
nothing in `read` is an email."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import uuid4

import psycopg
import pytest
from psycopg import sql

from infrastructure.bootstrap import Container
from tests.integration.audit_flow import catch_up, launched_campaign

ROLE = "kairos_analyst"
EMAIL_SHAPE = r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}"


@pytest.fixture(scope="module")
def emails(container: Container) -> Iterator[list[str]]:
    people = [f"analysed-{i}-{uuid4().hex[:8]}@example.net" for i in range(2)]
    with launched_campaign(container) as flow:
        for email in people:
            container.identity.register(email, "correct horse battery")
            flow.enroll(email)
        flow.clock.advance(hours=2, minutes=1)
        prompt = flow.send_due(people[0])[0]
        flow.answer(prompt, 9)
        catch_up(container)
        yield people


def as_analyst(container: Container, query: sql.Composable | str) -> list[tuple[object, ...]]:
    """Runs one query as the analyst role inside a transaction that is rolled back."""
    with container.database.pool.connection() as conn, conn.transaction(force_rollback=True):
        conn.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(ROLE)))
        return conn.execute(query).fetchall()


def tables_in(container: Container, schema: str) -> list[str]:
    rows = container.database.fetch_all(
        "SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY 1", (schema,)
    )
    return [r["tablename"] for r in rows]


def test_the_role_exists_without_login_by_default(container: Container) -> None:
    row = container.database.fetch_one(
        "SELECT rolcanlogin, rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = %s",
        (ROLE,),
    )
    assert row == {
        "rolcanlogin": False,
        "rolsuper": False,
        "rolcreaterole": False,
        "rolcreatedb": False,
    }


def test_the_analyst_can_select_every_read_table(container: Container, emails: list[str]) -> None:
    tables = tables_in(container, "read")
    assert "esm_prompts" in tables
    for table in tables:
        as_analyst(
            container,
            sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier("read", table)),
        )


@pytest.mark.parametrize("schema", ["events", "app", "vault", "audit", "public"])
def test_the_analyst_cannot_read_anything_outside_read(
    container: Container, emails: list[str], schema: str
) -> None:
    tables = tables_in(container, schema)
    assert tables, f"schema {schema} has tables to try"
    for table in tables:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            as_analyst(
                container,
                sql.SQL("SELECT 1 FROM {} LIMIT 1").format(sql.Identifier(schema, table)),
            )


def test_the_analyst_cannot_write_to_read_tables(container: Container, emails: list[str]) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        as_analyst(container, "DELETE FROM read.esm_prompts RETURNING id")


def test_no_column_in_read_holds_an_email(container: Container, emails: list[str]) -> None:
    columns = container.database.fetch_all(
        "SELECT table_name, column_name FROM information_schema.columns"
        " WHERE table_schema = 'read'"
        " AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY')"
    )
    assert columns
    for c in columns:
        column = sql.Identifier(c["column_name"])
        rows = as_analyst(
            container,
            sql.SQL("SELECT {}::text FROM {} WHERE {}::text ~ {} OR {}::text ILIKE ANY({})").format(
                column,
                sql.Identifier("read", c["table_name"]),
                column,
                sql.Literal(EMAIL_SHAPE),
                column,
                sql.Literal([f"%{e}%" for e in emails]),
            ),
        )
        assert rows == [], f"read.{c['table_name']}.{c['column_name']} holds an email"
