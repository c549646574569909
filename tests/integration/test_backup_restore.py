"""`kairos backup` then `kairos restore` into an empty database: the events, vault keys and
anchors come back, the read models are rebuilt, `kairos audit verify` passes, people still
log in; a damaged file or a non-empty target restores nothing."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import pytest
from typer.testing import CliRunner

from application.audit.privacy import erase_person
from infrastructure.bootstrap import Container, bootstrap
from infrastructure.postgres.migrate import prepare_database
from infrastructure.settings import Settings
from interfaces.cli.main import app
from tests.integration.audit_flow import ScriptedCampaign, catch_up, start_clock
from tests.support.servers import fresh_database

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def server(postgres_url: str) -> str:
    return postgres_url


@pytest.fixture(scope="module")
def source(settings: Settings, server: str) -> Iterator[tuple[Container, ScriptedCampaign]]:
    with fresh_database(server, prefix="kairos_backup_src") as url:
        prepare_database(url)
        container = bootstrap(settings.model_copy(update={"database_url": url}))
        try:
            clock = start_clock()
            container.esm.clock = clock
            flow = ScriptedCampaign(container, clock)
            flow.create()
            flow.launch()
            people = [f"restored-{i}-{uuid4().hex[:6]}@example.com" for i in range(3)]
            for email in people:
                container.identity.register(email, PASSWORD)
                flow.enroll(email)
            clock.advance(hours=2, minutes=1)
            prompt = flow.send_due(people[0])[0]
            flow.answer(prompt, 9)
            erase_person(container.vault, people[2])  # an erasure survives the restore
            catch_up(container)
            yield container, flow
        finally:
            container.close()


@pytest.fixture
def target(server: str) -> Iterator[str]:
    with fresh_database(server, prefix="kairos_restore") as url:
        yield url


def _cli(settings: Settings, url: str, tmp_path: Path, *args: str):  # type: ignore[no-untyped-def]
    env = {
        "DATABASE_URL": url,
        "REDIS_URL": settings.redis_url or "",
        "SECRET_KEY": settings.secret_key or "",
    }
    return CliRunner().invoke(app, [*args, "--data-dir", str(tmp_path)], env=env)


def _rows(container: Container, query: str) -> list[dict[str, object]]:
    return container.database.fetch_all(query)


def test_a_restored_database_verifies_and_serves_the_same_data(
    settings: Settings, source: tuple[Container, ScriptedCampaign], target: str, tmp_path: Path
) -> None:
    container, flow = source
    file = tmp_path / "kairos.backup"
    made = _cli(settings, container.settings.database_url or "", tmp_path, "backup", str(file))
    assert made.exit_code == 0, made.output
    assert "backup written" in made.output
    assert oct(file.stat().st_mode & 0o777) == "0o600"

    restored = _cli(settings, target, tmp_path, "restore", str(file))
    assert restored.exit_code == 0, restored.output
    assert "read models rebuilt" in restored.output and "warning" not in restored.output

    verified = _cli(settings, target, tmp_path, "audit", "verify")
    assert verified.exit_code == 0, verified.output

    copy = bootstrap(settings.model_copy(update={"database_url": target}))
    try:
        for query in (
            "SELECT * FROM read.esm_campaigns ORDER BY id",
            "SELECT * FROM read.esm_participants ORDER BY id",
            "SELECT id, status, sent_at, answered_at FROM read.esm_prompts ORDER BY id",
            "SELECT id, roles FROM app.accounts ORDER BY id",
            "SELECT * FROM audit.chain_heads ORDER BY application",
            "SELECT * FROM vault.subject_keys ORDER BY subject_id",
            "SELECT * FROM vault.erasures ORDER BY subject_id",
        ):
            assert _rows(copy, query) == _rows(container, query), query
        email = next(iter(flow.participants))
        assert copy.authenticator.authenticate(email, PASSWORD).account_id
        # New events continue after the restored ones (sequences were moved on).
        before = copy.identity.recorder.max_notification_id()
        copy.identity.register(f"after-{uuid4().hex[:6]}@example.com", PASSWORD)
        assert copy.identity.recorder.max_notification_id() == (before or 0) + 1
    finally:
        copy.close()

    again = _cli(settings, target, tmp_path, "restore", str(file))
    assert again.exit_code == 1 and "not empty" in again.output


def test_a_damaged_or_foreign_file_restores_nothing(
    settings: Settings, source: tuple[Container, ScriptedCampaign], target: str, tmp_path: Path
) -> None:
    container, _ = source
    file = tmp_path / "whole.backup"
    assert (
        _cli(
            settings, container.settings.database_url or "", tmp_path, "backup", str(file)
        ).exit_code
        == 0
    )
    raw = gzip.decompress(file.read_bytes())
    truncated = tmp_path / "truncated.backup"
    truncated.write_bytes(gzip.compress(raw[: len(raw) * 2 // 3]))
    flipped = tmp_path / "flipped.backup"
    at = raw.index(b"\\x", raw.index(b"TABLE events.esm_events")) + 4
    flipped.write_bytes(
        gzip.compress(raw[:at] + (b"0" if raw[at : at + 1] != b"0" else b"1") + raw[at + 1 :])
    )
    foreign = tmp_path / "foreign.backup"
    foreign.write_bytes(b"PGDMP this is not ours")

    for bad, reason in (
        (truncated, "ends inside"),
        (flipped, "checksum"),
        (foreign, "not a Kairos backup"),
    ):
        result = _cli(settings, target, tmp_path, "restore", str(bad))
        assert result.exit_code == 1, (bad.name, result.output)
        assert reason in result.output, (bad.name, result.output)
    check = bootstrap(settings.model_copy(update={"database_url": target}))
    try:
        counts = check.database.fetch_one(
            "SELECT (SELECT count(*) FROM events.esm_events) AS events,"
            " (SELECT count(*) FROM vault.subject_keys) AS keys"
        )
        assert counts == {"events": 0, "keys": 0}, "a failed restore leaves nothing behind"
    finally:
        check.close()
