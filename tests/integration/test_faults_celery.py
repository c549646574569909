"""Fault tests with real Celery worker and beat SUBPROCESSES on real Redis and PostgreSQL
(tasks in tests/support/reliability_tasks.py; broker visibility timeout 6 s here).

G8  a worker SIGKILLed mid-task (its pool child, or the whole worker) -> the task is
    redelivered (acks_late + reject_on_worker_lost, or the visibility timeout) and has
    exactly one effect.
G9  a due item fires once, with beat ticking every 0.5 s and the worker SIGKILLed and
    restarted before it is due (due time handled by a table + beat, never ETA/countdown).
G10 a task failing with a transient error is retried a bounded number of times with
    increasing delays, then lands in app.dead_letters, and is not run again.

One worker serves the whole module (a worker start costs several seconds on a busy machine);
tests that kill it start the next one.
"""

from __future__ import annotations

import itertools
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import pytest
from celery import Celery

from infrastructure.bootstrap import Container
from infrastructure.settings import Settings
from tests.support.celery_process import CeleryProcess
from tests.support.isolated import process_env
from tests.support.polling import eventually

pytestmark = pytest.mark.slow

SCHEMA = """
CREATE TABLE IF NOT EXISTS app.fault_attempts (
    task text NOT NULL, key text NOT NULL, pid int NOT NULL,
    at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE TABLE IF NOT EXISTS app.fault_effects (
    key text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE TABLE IF NOT EXISTS app.fault_due (
    id text PRIMARY KEY, due_at timestamptz NOT NULL, enqueued_at timestamptz,
    fired_at timestamptz
);
"""
VISIBILITY_TIMEOUT = "6"


class Workers:
    """The module's worker: one at a time, restartable."""

    def __init__(self, env: dict[str, str], log_dir: Path) -> None:
        self.env = env
        self.log_dir = log_dir
        self.count = 0
        self.current = self.start()

    def start(self) -> CeleryProcess:
        self.count += 1
        args = ["worker", "-Q", self.env["CELERY_QUEUE"], "-c", "1", "-P", "prefork"]
        args += ["-n", f"faults{self.count}-{uuid4().hex[:6]}@%h", "-l", "INFO"]
        args += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
        return CeleryProcess(args, self.env, self.log_dir / f"worker{self.count}.log")

    def crash_and_restart(self) -> None:
        self.current.kill()
        self.current = self.start()


@pytest.fixture(scope="module")
def env(settings: Settings, container: Container, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    container.database.execute(SCHEMA)
    queue_settings = settings.model_copy(
        update={"celery_queue": f"kairos-faults-{uuid4().hex[:8]}"}
    )
    data_dir = tmp_path_factory.mktemp("faults")
    return {
        **process_env(queue_settings, data_dir),
        "KAIROS_TEST_VISIBILITY_TIMEOUT": VISIBILITY_TIMEOUT,
    }


@pytest.fixture(scope="module")
def workers(env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workers]:
    workers = Workers(env, tmp_path_factory.mktemp("worker-logs"))
    yield workers
    workers.current.stop()


@pytest.fixture(scope="module")
def beat(env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[CeleryProcess]:
    """Started with the module (its start-up overlaps the worker's); ticks every second."""
    log_dir = tmp_path_factory.mktemp("beat")
    process = CeleryProcess(
        ["beat", "-l", "INFO", "-s", str(log_dir / "beat-schedule")],
        {**env, "KAIROS_TEST_BEAT_SECONDS": "1"},
        log_dir / "beat.log",
    )
    yield process
    process.stop()


@pytest.fixture(scope="module")
def publisher(env: dict[str, str]) -> Iterator[Celery]:
    app = Celery("fault-tests", broker=env["REDIS_URL"])
    yield app
    app.close()


def send(publisher: Celery, env: dict[str, str], task: str, task_id: str, **kwargs: object) -> None:
    publisher.send_task(task, kwargs=kwargs, task_id=task_id, queue=env["CELERY_QUEUE"])


def attempts(container: Container, task: str, key: str) -> list[dict[str, object]]:
    return container.database.fetch_all(
        "SELECT pid, at FROM app.fault_attempts WHERE task = %s AND key = %s ORDER BY at",
        (task, key),
    )


def effects(container: Container, key: str) -> int:
    row = container.database.fetch_one(
        "SELECT count(*) AS n FROM app.fault_effects WHERE key = %s", (key,)
    )
    return int(row["n"]) if row else 0


def test_a_redelivered_task_whose_effect_already_happened_changes_nothing(
    container: Container,
    env: dict[str, str],
    publisher: Celery,
    workers: Workers,
    beat: CeleryProcess,
) -> None:
    key = uuid4().hex
    for _ in range(2):  # the relay republishing after a crash looks exactly like this
        send(publisher, env, "reliability.slow_effect", f"slow:{key}", key=key, seconds=0.0)
    eventually(lambda: len(attempts(container, "slow_effect", key)) == 2, 90, "both ran")
    assert effects(container, f"slow:{key}") == 1


def test_a_pool_process_killed_mid_task_is_redelivered_and_the_effect_happens_once(
    container: Container, env: dict[str, str], publisher: Celery, workers: Workers
) -> None:
    key = uuid4().hex
    send(publisher, env, "reliability.slow_effect", f"slow:{key}", key=key, seconds=3.0)
    started = eventually(lambda: attempts(container, "slow_effect", key), 90, "task started")
    os.kill(int(started[0]["pid"]), signal.SIGKILL)  # the pool child our worker forked
    eventually(lambda: effects(container, f"slow:{key}"), 90, "redelivered and applied")
    runs = attempts(container, "slow_effect", key)
    assert len(runs) >= 2 and len({r["pid"] for r in runs}) >= 2
    assert effects(container, f"slow:{key}") == 1


def test_a_whole_worker_killed_mid_task_is_redelivered_and_the_effect_happens_once(
    container: Container, env: dict[str, str], publisher: Celery, workers: Workers
) -> None:
    key = uuid4().hex
    send(publisher, env, "reliability.slow_effect", f"slow:{key}", key=key, seconds=3.0)
    eventually(lambda: attempts(container, "slow_effect", key), 90, "the task started")
    workers.crash_and_restart()  # main process and child: the message is unacked in Redis
    assert effects(container, f"slow:{key}") == 0
    eventually(lambda: effects(container, f"slow:{key}"), 90, "redelivered after the timeout")
    runs = attempts(container, "slow_effect", key)
    assert len(runs) >= 2 and len({r["pid"] for r in runs}) >= 2
    assert effects(container, f"slow:{key}") == 1


def test_a_due_item_fires_once_across_worker_restarts_with_beat_ticking(
    container: Container, workers: Workers, beat: CeleryProcess
) -> None:
    due_id = uuid4().hex
    eventually(lambda: attempts(container, "due_tick", "0"), 90, "beat ticks are served")
    container.database.execute(
        "INSERT INTO app.fault_due (id, due_at) VALUES (%s, now() + interval '3 seconds')",
        (due_id,),
    )
    workers.crash_and_restart()  # before it is due; the next worker takes over
    eventually(lambda: effects(container, f"due:{due_id}"), 90, "the item fired")
    ticks = len(attempts(container, "due_tick", "0"))
    eventually(
        lambda: len(attempts(container, "due_tick", "0")) >= ticks + 3,
        60,
        "beat kept ticking after the item fired",
    )
    row = container.database.fetch_one(
        "SELECT fired_at >= due_at AS on_time FROM app.fault_due WHERE id = %s", (due_id,)
    )
    assert row == {"on_time": True}
    assert effects(container, f"due:{due_id}") == 1
    assert len(attempts(container, "fire_due", due_id)) == 1


def test_transient_failures_are_retried_with_growing_delays_then_dead_lettered(
    container: Container, env: dict[str, str], publisher: Celery, workers: Workers
) -> None:
    key = uuid4().hex
    task_id = f"flaky:{key}"
    send(publisher, env, "reliability.always_transient", task_id, key=key)
    dead = eventually(
        lambda: container.database.fetch_one(
            "SELECT task_name, attempts, error FROM app.dead_letters WHERE task_id = %s",
            (task_id,),
        ),
        90,
        "a dead letter",
    )
    runs = attempts(container, "always_transient", key)
    assert len(runs) == 4, "one try and max_retries=3 retries, no more"
    gaps = [(b["at"] - a["at"]).total_seconds() for a, b in itertools.pairwise(runs)]  # type: ignore[operator]
    assert gaps[0] >= 0.9 and gaps[1] >= 1.9 and gaps[2] >= 2.9, gaps
    assert gaps[0] < gaps[1] < gaps[2], gaps
    assert dead["task_name"] == "reliability.always_transient"
    assert dead["attempts"] == 4
    assert "503" in dead["error"]
