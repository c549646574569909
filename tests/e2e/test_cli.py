"""`kairos users add` and `kairos projections status|rebuild` against a database URL."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import pytest
from typer.testing import CliRunner

from infrastructure.bootstrap import Container
from infrastructure.settings import Settings
from interfaces.cli.main import app
from tests.support.isolated import isolated_container, process_env
from tests.support.processes import ROOT


@pytest.fixture
def system(settings: Settings) -> Iterator[Container]:
    with isolated_container(settings) as container:
        yield container


@pytest.fixture
def kairos(system: Container, tmp_path: Path):  # type: ignore[no-untyped-def]
    env = process_env(system.settings, tmp_path) | {"COLUMNS": "200"}
    runner = CliRunner()

    def run(*args: str) -> tuple[int, str]:
        result = runner.invoke(app, list(args), env=env)
        return result.exit_code, result.output

    return run


def _lag_rows(output: str, projection: str) -> list[list[str]]:
    rows = []
    for line in output.splitlines():
        cells = [c.strip() for c in line.replace("┃", "│").split("│") if c.strip()]
        if cells and cells[0] == projection:
            rows.append(cells)
    return rows


def test_users_add_through_the_real_entry_point_creates_an_account_that_can_log_in(
    system: Container, tmp_path: Path
) -> None:
    email = f"cli-{uuid4().hex[:8]}@example.com"
    args = ["users", "add", email, "--password", "correct horse battery", "--role", "researcher"]
    done = subprocess.run(
        [sys.executable, "-m", "interfaces.cli.main", *args],
        cwd=ROOT,
        env=process_env(system.settings, tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert email in done.stdout and "roles=researcher" in done.stdout
    account_id = system.identity.account_id_for(email)
    assert str(account_id) in done.stdout
    assert system.identity.repository.get(account_id).roles == ("researcher",)


def test_users_add_twice_grants_the_new_role_and_bad_input_exits_non_zero(kairos) -> None:  # type: ignore[no-untyped-def]
    email = f"cli-{uuid4().hex[:8]}@example.com"
    assert kairos("users", "add", email, "--password", "password123")[0] == 0
    code, output = kairos("users", "add", email, "--password", "password123", "-r", "admin")
    assert code == 0, output
    code, output = kairos("users", "add", "not-an-email", "--password", "password123")
    assert code == 1 and "not a valid address" in output
    code, output = kairos("users", "add", f"x{email}", "--password", "pw", "-r", "wizard")
    assert code == 1


def test_projections_status_shows_lag_and_rebuild_catches_up(
    system: Container,
    kairos,  # type: ignore[no-untyped-def]
) -> None:
    emails = [f"lag-{uuid4().hex[:8]}@example.com" for _ in range(3)]
    for email in emails:
        system.identity.register(email, "password123")
    head = system.identity.recorder.max_notification_id()

    code, output = kairos("projections", "status")
    assert code == 0, output
    (accounts,) = _lag_rows(output, "accounts")
    assert accounts[1:5] == ["identity", "0", str(head), str(head)]

    code, output = kairos("projections", "rebuild", "accounts")
    assert code == 0, output
    assert "accounts" in output

    code, output = kairos("projections", "status")
    (accounts,) = _lag_rows(output, "accounts")
    assert accounts[1:6] == ["identity", str(head), str(head), "0", "0"]
    count = system.database.fetch_one("SELECT count(*) AS n FROM app.accounts")
    assert count == {"n": 3}

    code, output = kairos("projections", "rebuild", "no-such-projection")
    assert code == 2 and "unknown projection" in output
