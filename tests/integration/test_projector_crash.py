"""A projector process killed with SIGKILL in the middle of catching up, then restarted,
leaves every read model exactly as a clean rebuild from the first event would."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import pytest

from domain.identity.account import Account
from infrastructure.bootstrap import Container
from infrastructure.postgres.projector import Projector
from infrastructure.settings import Settings
from tests.support.isolated import isolated_container, process_env
from tests.support.polling import eventually
from tests.support.processes import child
from tests.support.readmodels import dump_read_models

ACCOUNTS = 400
PASSWORD_CHANGES = 8  # + Registered + 2 RolesGranted = 11 events per account
BATCH = 200


@pytest.fixture
def system(settings: Settings) -> Iterator[Container]:
    with isolated_container(settings) as container:
        yield container


def _write_history(container: Container) -> int:
    """Thousands of identity events, written straight through the application. Roles are
    appended by the projection (not idempotent), so a batch applied twice would show."""
    accounts = []
    for _ in range(ACCOUNTS):
        account = Account.register(
            account_id=uuid4(),
            sealed_email=f"sealed:v1:{secrets.token_urlsafe(16)}",
            password_hash="initial",
            roles=("member",),
        )
        account.grant_roles(("researcher",))
        for n in range(PASSWORD_CHANGES):
            account.change_password(f"hash-{n}")
        account.grant_roles(("auditor",))
        accounts.append(account)
    for start in range(0, len(accounts), 50):
        container.identity.save(*accounts[start : start + 50])
    return container.identity.recorder.max_notification_id() or 0


def test_projector_killed_mid_batch_and_restarted_equals_a_clean_rebuild(
    system: Container, tmp_path: Path
) -> None:
    head = _write_history(system)
    assert head == ACCOUNTS * (PASSWORD_CHANGES + 3)
    env = process_env(system.settings, tmp_path)
    args = ["projector", "--batch-size", str(BATCH), "--poll-interval", "0.2"]

    def accounts_position() -> int:
        return system.database.position("accounts", "identity")

    with child(args, env, tmp_path / "projector-1.log") as first:
        killed_at = eventually(
            lambda: (p := accounts_position()) > 0 and p,
            timeout=30,
            message="the first projector committed a batch",
            interval=0.005,
            max_interval=0.005,  # backing off to 0.25 s let a fast projector finish first
        )
        first.kill()
        # Work was still in flight: the batch after `killed_at` was being written.
        position_after_kill = accounts_position()
    assert position_after_kill < head, "the projector finished before it could be killed"
    assert killed_at % BATCH == 0 or killed_at == position_after_kill

    projector = Projector(system.database, system.applications, system.projections())
    restarted = time.monotonic()
    with child(args, env, tmp_path / "projector-2.log") as second:
        eventually(
            lambda: all(lag.lag == 0 for lag in projector.status()),
            timeout=60,
            message="the restarted projector caught up",
            interval=0.1,
        )
        caught_up = time.monotonic() - restarted
        assert second.stop() == 0, second.output()

    after_restart = dump_read_models(system)
    rebuild_started = time.monotonic()
    for name in projector.projections:
        projector.rebuild(name)
    rebuild_seconds = time.monotonic() - rebuild_started
    rebuilt = dump_read_models(system)
    print(  # figures for docs (pytest -s)
        f"\n{head} events; killed at position {position_after_kill}; restarted projector caught"
        f" up in {caught_up:.1f}s (process start included); rebuild of all projections"
        f" {rebuild_seconds:.1f}s"
    )

    assert after_restart == rebuilt
    roles = system.database.fetch_all("SELECT DISTINCT roles FROM app.accounts")
    assert roles == [{"roles": ["member", "researcher", "auditor"]}]
    assert system.database.fetch_all("SELECT 1 FROM app.projection_failures") == []
