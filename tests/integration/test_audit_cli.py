"""`kairos audit replay|verify` and `kairos privacy erase` against the test database."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import pytest
from typer.testing import CliRunner

from infrastructure.bootstrap import Container
from infrastructure.settings import Settings
from interfaces.cli.main import app
from tests.integration.audit_flow import (
    ScriptedCampaign,
    catch_up,
    first_event_edited,
    launched_campaign,
)


@pytest.fixture(scope="module")
def flow(container: Container) -> Iterator[ScriptedCampaign]:
    with launched_campaign(container) as flow:
        flow.enroll(f"cli-{uuid4().hex[:8]}@example.com")
        catch_up(container)
        yield flow


@pytest.fixture
def run(settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DATABASE_URL", settings.database_url or "")
    monkeypatch.setenv("REDIS_URL", settings.redis_url or "")
    monkeypatch.setenv("SECRET_KEY", settings.secret_key or "")
    runner = CliRunner()

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(app, [*args, "--data-dir", str(tmp_path)])

    return invoke


def test_replay_prints_the_campaign_as_of_an_instant(run, flow: ScriptedCampaign) -> None:  # type: ignore[no-untyped-def]
    result = run("audit", "replay", str(flow.campaign_id))
    assert result.exit_code == 0, result.output
    state = json.loads(result.stdout)
    assert state["campaign"]["status"] == "active"
    assert len(state["participants"]) == 1
    early = run("audit", "replay", str(flow.campaign_id), "--as-of", "2000-01-01T00:00:00+00:00")
    assert early.exit_code == 1
    assert run("audit", "replay", "not-a-uuid").exit_code == 2


def test_history_prints_one_json_line_per_event(run, flow: ScriptedCampaign) -> None:  # type: ignore[no-untyped-def]
    result = run("audit", "history", str(flow.campaign_id), "--limit", "3")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [e["type"] for e in lines][:2] == ["Created", "Launched"]
    assert len(lines) == 3


def test_verify_exits_zero_when_intact_and_non_zero_after_tampering(
    run,  # type: ignore[no-untyped-def]
    container: Container,
    flow: ScriptedCampaign,
) -> None:
    ok = run("audit", "verify", "--json")
    assert ok.exit_code == 0, ok.output
    report = json.loads(ok.stdout)
    assert report["ok"] is True and report["events_checked"] > 0
    assert "esm" in report["heads"]
    assert run("audit", "verify", str(flow.campaign_id)).exit_code == 0

    with first_event_edited(container, flow.campaign_id, lambda state: state[:-2] + b" }"):
        whole = run("audit", "verify")
        one = run("audit", "verify", str(flow.campaign_id))
    assert whole.exit_code == 1 and "altered_event" in whole.output
    assert one.exit_code == 1 and "altered_event" in one.output


def test_privacy_erase_deletes_the_persons_key(run, container: Container) -> None:  # type: ignore[no-untyped-def]
    email = f"cli-erase-{uuid4().hex[:8]}@example.com"
    account_id, _ = container.identity.register(email, "correct horse battery")
    result = run("privacy", "erase", email)
    assert result.exit_code == 0, result.output
    assert str(account_id) in result.stdout
    assert container.identity.email_of(account_id) is None
    assert run("privacy", "erase", "not an email").exit_code == 1
