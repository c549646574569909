"""One active projector and one active relay: a second instance of each waits as a hot
standby while the first lives (the advisory lock is held once) and takes over when the first
is killed with SIGKILL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import pytest
import redis

from infrastructure.bootstrap import Container
from infrastructure.postgres.leadership import lock_key
from infrastructure.settings import Settings
from tests.support.isolated import isolated_container, process_env
from tests.support.polling import eventually
from tests.support.processes import child


@pytest.fixture
def system(settings: Settings) -> Iterator[Container]:
    with isolated_container(settings) as container:
        yield container
    redis.Redis.from_url(settings.redis_url or "").delete(container.settings.celery_queue)


def _advisory_holders(container: Container, name: str) -> int:
    key = lock_key(name) & 0xFFFFFFFFFFFFFFFF
    row = container.database.fetch_one(
        "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND granted"
        " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        " AND classid::bigint = %s AND objid::bigint = %s AND objsubid = 1",
        (key >> 32, key & 0xFFFFFFFF),
    )
    return int(row["n"]) if row else 0


def _position(container: Container, role: str) -> int:
    if role == "projector":
        return container.database.position("accounts", "identity")
    row = container.database.fetch_one(
        "SELECT position FROM app.relay_positions WHERE application = 'identity'"
    )
    return int(row["position"]) if row else 0


def _register(container: Container) -> int:
    return container.identity.register(f"lead-{uuid4().hex[:10]}@example.com", "password123")[1]


@pytest.mark.parametrize("role", ["projector", "relay"])
def test_a_standby_instance_stays_idle_until_the_active_one_is_killed(
    role: str, system: Container, tmp_path: Path
) -> None:
    env = process_env(system.settings, tmp_path)
    args = [role, "--poll-interval", "0.2"]
    active_line = f"{role} is active"
    # Upper bounds for a shared, loaded machine (a process start took over 30 s there);
    # each wait ends as soon as its condition holds.
    with child(args, env, tmp_path / f"{role}-a.log") as first:
        eventually(lambda: active_line in first.output(), timeout=90, message=first.output())
        with child(args, env, tmp_path / f"{role}-b.log") as second:
            eventually(lambda: "on standby" in second.output(), timeout=90, message=second.output())
            position = _register(system)
            eventually(
                lambda: _position(system, role) >= position, timeout=60, message="leader works"
            )
            assert _advisory_holders(system, role) == 1
            assert active_line not in second.output()

            first.kill()
            later = _register(system)
            eventually(lambda: active_line in second.output(), timeout=60, message=second.output())
            eventually(
                lambda: _position(system, role) >= later, timeout=60, message="standby took over"
            )
            assert _advisory_holders(system, role) == 1
            assert second.alive()
