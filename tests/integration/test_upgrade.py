"""Upgrading from the previous release (51fe8a0): its database, as that release's migrations
and projector left it (tests/fixtures/releases/, made by make_fixture.py with that release's
code), is migrated forward by this release, and the projection whose version changed (the ESM
read model: participants' delivery problems are now derived from past events too) rebuilds
itself, while the others keep their rows and positions."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from alembic.script import ScriptDirectory
from typer.testing import CliRunner

from application.esm.projections import ESMViews
from infrastructure.bootstrap import Container, bootstrap
from infrastructure.postgres.migrate import alembic_config, prepare_database
from infrastructure.postgres.projector import Projector
from infrastructure.settings import Settings
from interfaces.cli.main import app
from tests.support.servers import fresh_database

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "releases" / "51fe8a0.sql.gz"
SECRET_KEY = "release-fixture-secret-key-not-for-production-use-0123456789"  # make_fixture.py
PASSWORD = "correct horse battery staple"


def load_release(url: str) -> None:
    """Runs the release's pg_dump script (psql's backslash commands left out)."""
    script = gzip.decompress(FIXTURE.read_bytes()).decode()
    statements = "\n".join(line for line in script.splitlines() if not line.startswith("\\"))
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(statements)  # type: ignore[call-overload]


def revisions(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        return {r[0] for r in conn.execute("SELECT version_num FROM public.alembic_version")}


def applied(script: ScriptDirectory, url: str) -> set[str]:
    """Every revision the database's recorded heads stand on."""
    return {r.revision for r in script.iterate_revisions(tuple(revisions(url)), "base")}


@pytest.fixture
def release(postgres_url: str, settings: Settings) -> Iterator[tuple[str, Settings]]:
    with fresh_database(postgres_url, prefix="kairos_upgrade") as url:
        load_release(url)
        yield url, settings.model_copy(update={"database_url": url, "secret_key": SECRET_KEY})


def _positions(container: Container) -> dict[tuple[str, str], tuple[int, object]]:
    rows = container.database.fetch_all(
        "SELECT projection, application, position, updated_at FROM app.projection_positions"
    )
    return {(r["projection"], r["application"]): (r["position"], r["updated_at"]) for r in rows}


def test_the_previous_release_upgrades_in_place(
    release: tuple[str, Settings], tmp_path: Path
) -> None:
    url, settings = release
    script = ScriptDirectory.from_config(alembic_config(url))
    every = {r.revision for r in script.walk_revisions()}
    assert applied(script, url) < every, "the fixture is the old schema"

    prepare_database(url)  # what `kairos migrate` (compose's migrate service) does
    assert applied(script, url) == every

    container = bootstrap(settings)
    try:
        before = _positions(container)
        participants = container.database.fetch_all(
            "SELECT delivery_problem FROM read.esm_participants"
        )
        assert [p["delivery_problem"] for p in participants] == [None] * 3, "old rows: no flag"

        projector = Projector(container.database, container.applications, container.projections())
        assert projector.reconcile_versions() == ["esm"]
        projector.catch_up()
        assert projector.reconcile_versions() == [], "recorded: no second rebuild"
        assert projector.versions()["esm"] == ESMViews.version
        journeys = container.database.fetch_all(
            "SELECT DISTINCT kind FROM read.esm_timeline WHERE prompt_id IS NOT NULL"
        )
        assert {"scheduled", "sent", "answered"} <= {j["kind"] for j in journeys}, (
            "the timeline (new in esm version 3) is filled from the old events"
        )

        after = _positions(container)
        for key, value in before.items():
            if key[0] != "esm":
                assert after[key] == value, f"{key} was not rebuilt"
        assert all(p.lag == 0 for p in projector.status())
        problems = container.database.fetch_all(
            "SELECT delivery_problem FROM read.esm_participants WHERE delivery_problem IS NOT NULL"
        )
        assert problems == [{"delivery_problem": "the mail provider reported bounce"}]
        statuses = sorted(
            r["status"] for r in container.database.fetch_all("SELECT status FROM read.esm_prompts")
        )
        assert statuses == ["answered", "scheduled", "sent"]

        # The old accounts log in; new events continue the old logs.
        assert container.authenticator.authenticate("member@release.example", PASSWORD)
        container.identity.register("after-upgrade@release.example", PASSWORD)
    finally:
        container.close()

    env = {"DATABASE_URL": url, "REDIS_URL": settings.redis_url or "", "SECRET_KEY": SECRET_KEY}
    runner = CliRunner()
    verified = runner.invoke(app, ["audit", "verify", "--data-dir", str(tmp_path)], env=env)
    assert verified.exit_code == 0, verified.output
    status = runner.invoke(app, ["projections", "status", "--data-dir", str(tmp_path)], env=env)
    assert status.exit_code == 0 and "esm" in status.output


def test_a_fresh_database_records_versions_without_rebuilding(
    postgres_url: str, settings: Settings
) -> None:
    with fresh_database(postgres_url, prefix="kairos_versions") as url:
        prepare_database(url)
        container = bootstrap(settings.model_copy(update={"database_url": url}))
        try:
            projector = Projector(
                container.database, container.applications, container.projections()
            )
            projector.catch_up()
            assert projector.reconcile_versions() == []
            assert projector.versions() == {p.name: p.version for p in container.projections()}
        finally:
            container.close()
