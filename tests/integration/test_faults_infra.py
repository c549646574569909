"""Fault tests on the infrastructure: a poison event (G7), Redis down, PostgreSQL restarted.

Redis and PostgreSQL here are EMBEDDED servers in temp dirs, owned by the test: the machine's
services are never stopped. The projector and relay run in threads with the same code as their
processes (`kairos projector|relay`), so reconnection is exercised for real.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar
from uuid import UUID, uuid4

import pytest
import redis
from celery import Celery
from fastapi.testclient import TestClient

from application.shared.outbox import OutboxRule
from application.shared.projection import Position, Projection
from domain.identity.account import Account
from infrastructure.bootstrap import Container, bootstrap, redis_client
from infrastructure.celery_app import CeleryPublisher
from infrastructure.embedded import EmbeddedRedis, start_postgres
from infrastructure.observability import metrics_text
from infrastructure.postgres.database import database_url_for
from infrastructure.postgres.migrate import prepare_database
from infrastructure.postgres.projector import Projector
from infrastructure.relay import Relay, TaskPublisher
from infrastructure.settings import Settings
from interfaces.http.app import create_app
from tests.support.isolated import isolated_container
from tests.support.polling import eventually
from tests.support.system import following

REDIS_DOWN_SECONDS = float(os.environ.get("KAIROS_REDIS_DOWN_SECONDS", "10"))
RULES = [OutboxRule(event=Account.Registered, task="reliability.noop", kwargs=lambda e: {})]


# -- G7: poison events ---------------------------------------------------------------------
class PoisonProbe(Projection):
    """Applies every registration except the ones listed as poison."""

    name = f"poison_probe_{uuid4().hex[:6]}"
    applications = ("identity",)
    handles = (Account.Registered,)
    poison: ClassVar[set[UUID]] = set()
    applied: ClassVar[set[UUID]] = set()

    def apply(self, event: Any, cursor: Any, position: Position) -> None:
        if event.originator_id in self.poison:
            raise ValueError("this projection cannot apply that event")
        cursor.execute("SELECT 1")
        self.applied.add(event.originator_id)


def test_a_poison_event_is_isolated_reported_and_rebuild_refuses_it(
    container: Container, caplog: pytest.LogCaptureFixture
) -> None:
    poison_id, _ = container.identity.register(f"p-{uuid4().hex[:8]}@example.com", "password-1")
    good_id, _ = container.identity.register(f"g-{uuid4().hex[:8]}@example.com", "password-1")
    PoisonProbe.poison.add(poison_id)
    projector = Projector(container.database, container.applications, [PoisonProbe()])

    with caplog.at_level(logging.ERROR, logger="kairos.projector"):
        projector.catch_up()

    head = container.identity.recorder.max_notification_id()
    assert container.database.position(PoisonProbe.name, "identity") == head  # not stalled
    assert good_id in PoisonProbe.applied and poison_id not in PoisonProbe.applied
    failures = container.database.fetch_all(
        "SELECT notification_id, topic, error FROM app.projection_failures WHERE projection = %s",
        (PoisonProbe.name,),
    )
    assert len(failures) == 1 and "cannot apply" in failures[0]["error"]
    assert failures[0]["topic"].endswith("Account.Registered")
    assert [lag.failures for lag in projector.status()] == [1]  # `kairos projections status`
    assert "kairos_projection_failures" in metrics_text(
        container.database, container.applications, container.projections(), container.counters
    )
    assert any("could not apply" in r.getMessage() for r in caplog.records)

    with pytest.raises(ValueError, match="cannot apply"):  # rebuild is strict
        projector.rebuild(PoisonProbe.name)
    projector.reset(PoisonProbe.name)


# -- Redis down ----------------------------------------------------------------------------
class RecordingPublisher:
    def __init__(self) -> None:
        self.published: list[str] = []

    def publish(self, task: str, kwargs: dict[str, Any], task_id: str) -> None:
        self.published.append(task_id)


@contextmanager
def running(container: Container, publisher: TaskPublisher) -> Iterator[None]:
    """The projector and the relay in threads, as `kairos projector` / `kairos relay`."""
    relay = Relay(container.database, container.applications, RULES, publisher)
    with (
        following(container, container.projector(), "projector"),
        following(container, relay, "relay"),
    ):
        yield


def relay_position(container: Container) -> int:
    row = container.database.fetch_one(
        "SELECT position FROM app.relay_positions WHERE application = 'identity'"
    )
    return int(row["position"]) if row else 0


def register(client: TestClient) -> int:
    email = f"load-{uuid4().hex[:10]}@example.com"
    return client.post(
        "/auth/register", json={"email": email, "password": "password-1"}
    ).status_code


@pytest.mark.slow
def test_redis_down_the_relay_holds_its_position_and_catches_up(
    settings: Settings, tmp_path: Path
) -> None:
    server = EmbeddedRedis(tmp_path, persist=True)
    url = server.start()
    broker = Celery("redis-down", broker=url)
    broker.conf.broker_connection_timeout = 1
    queue = f"kairos-redis-down-{uuid4().hex[:6]}"
    with_redis = settings.model_copy(update={"redis_url": url, "rate_limit_enabled": True})
    try:
        with (
            isolated_container(with_redis) as iso,
            running(iso, CeleryPublisher(broker, queue, redis_client(url, timeout=10.0))),
            TestClient(create_app(iso)) as client,
        ):
            assert [register(client) for _ in range(2)] == [201, 201]
            head = iso.identity.recorder.max_notification_id()
            eventually(lambda: relay_position(iso) == head, 30, "relay published")
            held = relay_position(iso)

            server.stop()
            statuses: list[int] = []
            down_until = time.monotonic() + REDIS_DOWN_SECONDS
            while time.monotonic() < down_until:  # commands keep flowing while Redis is down
                statuses.append(register(client))
                assert relay_position(iso) == held, "the relay must not skip what it can't send"
            assert statuses and set(statuses) == {201}

            server.start()
            back = time.monotonic()
            head = iso.identity.recorder.max_notification_id()
            eventually(lambda: relay_position(iso) == head, 60, "relay caught up")
            print(  # figures for docs/reliability.md (pytest -s)
                f"\nredis down {REDIS_DOWN_SECONDS:.0f}s: {len(statuses)} commands accepted,"
                f" relay caught up {time.monotonic() - back:.2f}s after redis returned"
            )
            queued = redis.Redis.from_url(url).llen(queue)
            assert queued == 2 + len(statuses), "every event published once it came back"
    finally:
        broker.close()
        server.stop()


# -- PostgreSQL restarted under load -------------------------------------------------------
PG_DOWN_SECONDS = float(os.environ.get("KAIROS_PG_DOWN_SECONDS", "0"))


def restart_postgres(server: Any, pg_ctl: Any) -> None:
    """`pg_ctl restart -m fast`; or, with KAIROS_PG_DOWN_SECONDS > 0 (manual runs), stop,
    stay down that long, and start again with the same socket."""
    if PG_DOWN_SECONDS <= 0:
        pg_ctl(["-w", "-m", "fast", "restart"], pgdata=server.pgdata, user=server.system_user)
        return
    from pgserver.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(server.pgdata)
    assert info is not None
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=server.pgdata, user=server.system_user)
    threading.Event().wait(PG_DOWN_SECONDS)  # the outage itself, not a wait for a condition
    args = ["-w", "-o", '-h ""', "-o", f"-k {info.socket_dir}", "-l", str(server.log), "start"]
    pg_ctl(args, pgdata=server.pgdata, user=server.system_user)


@pytest.mark.slow
def test_postgres_restart_under_load_everything_reconnects_on_its_own(
    settings: Settings, tmp_path: Path
) -> None:
    from pgserver.postgres_server import pg_ctl

    server, server_uri = start_postgres(tmp_path / "pg", temporary=True)
    try:
        url = database_url_for(server_uri, "postgres")
        prepare_database(url)
        own = settings.model_copy(update={"database_url": url, "pg_pool_max": 4})
        container = bootstrap(own)
        publisher = RecordingPublisher()
        statuses: list[int] = []
        stop_load = threading.Event()
        try:
            with running(container, publisher), TestClient(create_app(container)) as client:

                def load() -> None:
                    with TestClient(client.app) as own_client:
                        while not stop_load.is_set():
                            statuses.append(register(own_client))

                loaders = [threading.Thread(target=load, daemon=True) for _ in range(3)]
                for loader in loaders:
                    loader.start()
                eventually(lambda: statuses.count(201) >= 6, 60, "load is flowing")
                restart_postgres(server, pg_ctl)
                restarted = time.monotonic()
                after_restart = len(statuses)
                eventually(
                    lambda: statuses[after_restart:].count(201) >= 3, 60, "commands succeed again"
                )
                recovered = time.monotonic() - restarted
                stop_load.set()
                for loader in loaders:
                    loader.join(30)
                head = container.identity.recorder.max_notification_id()
                eventually(
                    lambda: container.database.position("accounts", "identity") == head,
                    60,
                    "the projector reconnected and caught up",
                )
                eventually(lambda: relay_position(container) == head, 60, "relay caught up")
                # A command that failed mid-insert burns a sequence value: compare with the
                # ids actually stored, not with 1..head. Only registrations have a rule (a
                # sign-up also stores its VerificationRequested).
                stored = {
                    f"identity:{n.id}:reliability.noop"
                    for n in container.identity.recorder.select_notifications(start=1, limit=10_000)
                    if n.topic.endswith("Account.Registered")
                }
        finally:
            container.close()
        # 409 is the one other honest answer: when the connection dies during COMMIT, the
        # store's retry finds the account it had in fact written (an ambiguous commit).
        assert set(statuses) <= {201, 409, 503}, "a restart is a 503 (or 409), never a 500"
        print(  # figures for docs/reliability.md (pytest -s)
            f"\npostgres restart: {len(statuses)} requests, {statuses.count(201)} x 201,"
            f" {statuses.count(503)} x 503, 3 successes {recovered:.2f}s after it was back"
        )
        relayed = set(publisher.published)
        assert relayed == stored, "every stored event was relayed, nothing else"
        assert head >= statuses.count(201), "every accepted command was stored"
    finally:
        server.cleanup()
