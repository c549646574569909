"""What every benchmark shares: servers, a fresh database each, timing and percentiles."""

from __future__ import annotations

import contextlib
import secrets
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import psycopg
from eventsourcing.domain import Aggregate, event
from psycopg import sql

from application.shared.app import KairosApplication
from domain.esm.enrollment import Enrollment
from infrastructure.embedded import can_reach_redis, start_postgres
from infrastructure.postgres.database import can_connect, database_url_for
from infrastructure.postgres.eventstore import event_store_env
from infrastructure.postgres.migrate import prepare_database

LOCAL_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
LOCAL_REDIS = "redis://127.0.0.1:6379/0"


@dataclass(frozen=True)
class Profile:
    """Sizes and durations; `quick` is a ~1 minute smoke, `full` stays under 8 minutes."""

    name: str
    append_seconds: float
    catchup_events: int
    live_seconds: float
    live_rate: int
    relay_events: int
    relay_live_seconds: float
    api_seconds: float
    api_concurrency: int
    replay_events: int
    planning_enrollments: int
    subscription_titles: int = 1_000
    subscription_services: int = 50


FULL = Profile("full", 5.0, 100_000, 10.0, 500, 30_000, 8.0, 5.0, 16, 1_000_000, 100_000)
QUICK = Profile("quick", 1.0, 10_000, 2.0, 500, 3_000, 2.0, 1.0, 8, 30_000, 3_000)


@dataclass
class Servers:
    postgres: str
    redis: str | None
    postgres_kind: str
    redis_kind: str


@contextlib.contextmanager
def servers(postgres_url: str | None = None, redis_url: str | None = None) -> Iterator[Servers]:
    """The machine's PostgreSQL and Redis when reachable, else embedded ones."""
    with contextlib.ExitStack() as stack:
        pg = postgres_url or LOCAL_POSTGRES
        pg_kind = "local"
        if not can_connect(pg):
            tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="kairos-bench-pg-"))
            server, pg = start_postgres(Path(tmp), temporary=True)
            stack.callback(server.cleanup)
            pg_kind = "embedded"
        rd = redis_url or LOCAL_REDIS
        rd_kind = "local"
        if not can_reach_redis(rd):
            from infrastructure.embedded import EmbeddedRedis

            tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="kairos-bench-redis-"))
            embedded = EmbeddedRedis(Path(tmp), persist=False)
            rd = embedded.start()
            stack.callback(embedded.stop)
            rd_kind = "embedded"
        yield Servers(pg, rd, pg_kind, rd_kind)


@contextlib.contextmanager
def fresh_database(server_url: str, purpose: str) -> Iterator[str]:
    """A new database with Kairos's schema, dropped afterwards."""
    name = f"kairos_bench_{purpose}_{secrets.token_hex(3)}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        url = database_url_for(server_url, name)
        prepare_database(url)
        yield url
    finally:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def rate(count: int, seconds: float) -> float:
    return round(count / seconds, 1) if seconds > 0 else 0.0


def ratio(a: float, b: float) -> float:
    return round(a / b, 2) if b else 0.0


@dataclass
class Result:
    """One benchmark's figures, flat and JSON-ready."""

    name: str
    figures: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def run_threads(count: int, target: Callable[[int], None]) -> None:
    threads = [threading.Thread(target=target, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


class Item(Aggregate):
    """A synthetic aggregate: one small event per command, like a typical Kairos command."""

    class Recorded(Aggregate.Created):
        campaign: UUID
        label: str
        value: int

    class Changed(Aggregate.Event):
        value: int

    @event(Recorded)
    def __init__(self, campaign: UUID, label: str, value: int) -> None:
        self.campaign = campaign
        self.label = label
        self.value = value

    @event(Changed)
    def change(self, value: int) -> None:
        self.value = value


class BenchApplication(KairosApplication):
    name = "bench"


def bench_app(database_url: str, *, group_commit: bool = True, pool: int = 4) -> BenchApplication:
    env = event_store_env(database_url, pool_size=pool, max_overflow=20, group_commit=group_commit)
    env["CREATE_TABLE"] = "y"
    return BenchApplication(env=env)


class Deadline:
    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def __bool__(self) -> bool:
        return time.monotonic() < self.end


def paced_writes(
    app: BenchApplication, per_second: int, seconds: float, writers: int = 4
) -> tuple[dict[int, float], float]:
    """Saves one event per command on a fixed schedule shared by `writers` threads (so one
    slow commit does not hold the rate down). Returns {notification id: commit time} and
    the rate achieved."""
    from uuid import uuid4

    committed: dict[int, float] = {}
    total = int(per_second * seconds)
    interval = 1.0 / per_second
    campaign = uuid4()
    lock = threading.Lock()
    slots = iter(range(total))
    began = time.perf_counter()

    def write(_: int) -> None:
        while True:
            with lock:
                slot = next(slots, None)
            if slot is None:
                return
            delay = began + slot * interval - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            recordings = app.save(Item(campaign, "live", slot))
            committed[recordings[-1].notification.id] = time.perf_counter()

    run_threads(writers, write)
    return committed, rate(total, time.perf_counter() - began)


def live_lags(
    url: str,
    app: BenchApplication,
    follower: Any,
    lock_name: str,
    seen_at: dict[int, float],
    per_second: int,
    seconds: float,
) -> tuple[list[float], int, float]:
    """Runs a log follower (projector or relay) in a thread while writing at a steady rate,
    and returns (seen time - commit time per event, events missing, rate achieved).
    `seen_at` is filled by the follower's timing wrapper."""
    from infrastructure.postgres.leadership import Leadership
    from infrastructure.postgres.notifications import NotificationWaiter

    stop = threading.Event()
    channel = app.recorder.channel_name  # type: ignore[attr-defined]
    runner = threading.Thread(
        target=follower.run_forever,
        args=(stop, Leadership(url, lock_name), NotificationWaiter(url, [channel])),
        kwargs={"poll_interval": 1.0},
        daemon=True,
    )
    runner.start()
    committed, achieved = paced_writes(app, per_second, seconds)
    deadline = time.perf_counter() + 30
    last = max(committed)
    while last not in seen_at and time.perf_counter() < deadline:
        time.sleep(0.01)
    stop.set()
    runner.join(10)
    lags = [seen_at[n] - t for n, t in committed.items() if n in seen_at]
    return lags, len(committed) - len(lags), achieved


def warsaw_participant(campaign_id: UUID, at: datetime) -> Enrollment:
    """A participant of the benchmark campaigns (Warsaw time, no personal window)."""
    return Enrollment.enroll(
        campaign_id=campaign_id,
        subject_id=uuid4(),
        sealed_email="sealed-value",
        timezone="Europe/Warsaw",
        window_start=None,
        window_end=None,
        at=at,
    )
