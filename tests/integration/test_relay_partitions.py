"""Past one relay: `kairos relay --only LOG` partitions publication by event log, each
partition with its own lock, so partitions run side by side (docs/operations.md)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import pytest
import redis

from infrastructure.bootstrap import Container
from infrastructure.settings import Settings
from tests.support.isolated import isolated_container, process_env
from tests.support.polling import eventually
from tests.support.processes import child


@pytest.fixture
def system(settings: Settings) -> Iterator[Container]:
    with isolated_container(settings) as container:
        yield container
    redis.Redis.from_url(settings.redis_url or "").delete(container.settings.celery_queue)


def _relay_position(container: Container, application: str) -> int:
    row = container.database.fetch_one(
        "SELECT position FROM app.relay_positions WHERE application = %s", (application,)
    )
    return int(row["position"]) if row else 0


def test_partitioned_relays_are_active_together_and_publish_only_their_log(
    system: Container, tmp_path: Path
) -> None:
    env = process_env(system.settings, tmp_path)
    poll = ["--poll-interval", "0.2"]
    with (
        child(["relay", "--only", "identity", *poll], env, tmp_path / "identity.log") as ident,
        child(
            ["relay", "--only", "myvod", "--only", "esm", *poll], env, tmp_path / "rest.log"
        ) as rest,
    ):
        for relay in (ident, rest):
            eventually(lambda r=relay: "relay is active" in r.output(), timeout=30, message="up")
        position = system.identity.register(f"part-{uuid4().hex[:8]}@example.com", "password123")[1]
        eventually(
            lambda: _relay_position(system, "identity") >= position,
            timeout=15,
            message=ident.output(),
        )
        assert "on standby" not in ident.output() + rest.output()


def test_unknown_partition_is_refused(system: Container, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from interfaces.cli.main import app

    env = process_env(system.settings, tmp_path)
    result = CliRunner().invoke(app, ["relay", "--only", "nope"], env=env)
    assert result.exit_code == 2
    assert "unknown event log nope" in result.output
