"""`kairos analysts add|remove|list`: a login that reads schema `read` and nothing else, with
a generated password that only the printed URL carries."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import psycopg
import pytest
from typer.testing import CliRunner

from infrastructure.bootstrap import Container
from infrastructure.postgres.analysts import analyst_url
from infrastructure.settings import Settings
from interfaces.cli.main import app


@pytest.fixture
def run(settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DATABASE_URL", settings.database_url or "")
    runner = CliRunner()

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(app, [*args, "--data-dir", str(tmp_path)])

    return invoke


@pytest.fixture
def name(run) -> Iterator[str]:  # type: ignore[no-untyped-def]
    login = f"analyst_{uuid4().hex[:10]}"  # roles are cluster-wide: never reuse one
    yield login
    run("analysts", "remove", login)


def test_an_analyst_reads_the_read_models_and_nothing_else(  # type: ignore[no-untyped-def]
    run, name: str, container: Container
) -> None:
    added = run("analysts", "add", name)
    assert added.exit_code == 0, added.output
    url = added.stdout.strip().splitlines()[-1]
    assert url.startswith(f"postgresql://{name}:")
    assert name in run("analysts", "list").stdout.split()

    with psycopg.connect(url, autocommit=True) as conn:
        assert conn.execute("SELECT current_user").fetchone() == (name,)
        conn.execute("SELECT count(*) FROM read.esm_prompts")
        conn.execute("SELECT count(*) FROM esm_campaigns")  # search_path is `read`
        assert conn.execute("SHOW default_transaction_read_only").fetchone() == ("on",)
        for table in ("events.esm_events", "app.accounts", "vault.subject_keys"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(f"SELECT 1 FROM {table} LIMIT 1")
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            conn.execute("CREATE TABLE read.mine (x int)")
        # Even with the read-only default switched off, privileges refuse writes.
        conn.execute("SET default_transaction_read_only = off")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM read.esm_prompts")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("CREATE TABLE read.mine (x int)")

    removed = run("analysts", "remove", name)
    assert removed.exit_code == 0, removed.output
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(url, connect_timeout=5).close()
    assert name not in run("analysts", "list").stdout.split()


def test_the_password_never_reaches_the_server_in_clear(  # type: ignore[no-untyped-def]
    run, name: str, container: Container
) -> None:
    url = run("analysts", "add", name).stdout.strip().splitlines()[-1]
    password = url.split(":", 2)[2].split("@", 1)[0]
    row = container.database.fetch_one(
        "SELECT rolpassword FROM pg_authid WHERE rolname = %s", (name,)
    )
    assert row is not None and row["rolpassword"].startswith("SCRAM-SHA-256$")
    assert password not in row["rolpassword"]


def test_bad_names_and_foreign_roles_are_refused(run, name: str) -> None:  # type: ignore[no-untyped-def]
    for bad in ("Robert'); DROP TABLE x;--", "pg_monitor", "kairos_analyst", "postgres", "1a"):
        result = run("analysts", "add", bad)
        assert result.exit_code == 2, (bad, result.output)
    assert run("analysts", "add", name).exit_code == 0
    again = run("analysts", "add", name)
    assert again.exit_code == 1 and "already exists" in again.output
    unknown = run("analysts", "remove", f"nobody_{uuid4().hex[:8]}")
    assert unknown.exit_code == 1 and "no analyst" in unknown.output


def test_a_role_that_is_not_an_analyst_is_never_dropped(  # type: ignore[no-untyped-def]
    run, container: Container
) -> None:
    other = f"other_{uuid4().hex[:10]}"
    container.database.execute(f"CREATE ROLE {other} LOGIN")
    try:
        refused = run("analysts", "remove", other)
        assert refused.exit_code == 1 and "not an analyst" in refused.output
        assert container.database.fetch_one("SELECT 1 FROM pg_roles WHERE rolname = %s", (other,))
    finally:
        container.database.execute(f"DROP ROLE {other}")


def test_the_url_names_the_host_analysts_reach() -> None:
    url = analyst_url(
        "postgresql://kairos:pw@postgres:5432/kairos", "alice", "p/w+", "db.example.org", 6432
    )
    assert url == "postgresql://alice:p%2Fw%2B@db.example.org:6432/kairos"
    local = analyst_url("host=/tmp port=5433 dbname=k user=u", "bob", "x", None, None)
    assert local == "postgresql://bob:x@localhost:5433/k"
