"""Correlation ids, shared counters in /metrics, and dead-letter replay."""

from __future__ import annotations

import json
import secrets
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from celery.signals import task_prerun
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from domain.shared.errors import Conflict, NotFound
from infrastructure.adapters.sendgrid import SendGridMailer
from infrastructure.bootstrap import Container, counters
from infrastructure.correlation import EventCorrelations
from infrastructure.deadletters import list_dead_letters, replay
from infrastructure.logging import correlation_id, correlation_scope
from infrastructure.relay import Relay
from infrastructure.settings import Settings
from infrastructure.task_signals import install
from interfaces.cli.main import app as cli
from tests.support.isolated import isolated_container
from tests.support.polling import eventually
from tests.support.worker import running_worker


@pytest.fixture
def seen(container: Container) -> Iterator[dict[str, str | None]]:
    """task id -> the correlation id the task ran with."""
    install(container.counters)  # our handlers first, so this one sees what they set
    ran: dict[str, str | None] = {}

    def record(task_id: str = "", **_: Any) -> None:
        ran[task_id] = correlation_id.get()

    task_prerun.connect(record, weak=False)
    try:
        yield ran
    finally:
        task_prerun.disconnect(record)


def test_request_id_is_echoed_or_generated(client: TestClient) -> None:
    echoed = client.get("/health", headers={"X-Request-ID": "trace-42"})
    assert echoed.headers["x-request-id"] == "trace-42"
    generated = client.get("/health", headers={"X-Request-ID": "bad id with spaces"})
    assert len(generated.headers["x-request-id"]) == 32


def test_task_runs_with_the_correlation_id_of_whoever_published_it(
    container: Container, seen: dict[str, str | None]
) -> None:
    with running_worker(container) as publisher:
        task_id = f"ping-{secrets.token_hex(4)}"
        with correlation_scope("req-abc"):
            publisher.publish("ops.ping", {}, task_id)
        uncorrelated = f"ping-{secrets.token_hex(4)}"
        publisher.publish("ops.ping", {}, uncorrelated)
        eventually(lambda: task_id in seen and uncorrelated in seen)
    assert seen[task_id] == "req-abc"
    assert seen[uncorrelated] == uncorrelated  # falls back to the task id


def test_metrics_count_task_outcomes_and_emails_across_processes(
    container: Container, client: TestClient, fakes_url: str, seen: dict[str, str | None]
) -> None:
    with running_worker(container) as publisher:
        task_id = f"ping-{secrets.token_hex(4)}"
        publisher.publish("ops.ping", {}, task_id)
        eventually(lambda: task_id in seen)
    another_process = counters(container.settings)  # same Redis hash, as a worker's would be
    SendGridMailer("SG.test", fakes_url, "a@kairos.local", counters=another_process).send(
        to="m@example.com", subject="s", text="t", html="<p>h</p>", custom_args={}
    )

    def metric_present() -> bool:
        text = client.get("/metrics").text
        return (
            'kairos_task_outcomes_total{outcome="success",task="ops.ping"}' in text
            and 'kairos_emails_total{outcome="sent"}' in text
        )

    eventually(metric_present)
    text = client.get("/metrics").text
    for name in ("kairos_projection_lag_events", "kairos_relay_lag_events", "kairos_dead_letters"):
        assert name in text


def _dead_letter(container: Container) -> int:
    row = container.database.fetch_one(
        "INSERT INTO app.dead_letters (task_id, task_name, kwargs, error, attempts)"
        " VALUES (%s, 'ops.ping', %s, 'TransientTaskError()', 6) RETURNING id",
        (f"ops:{secrets.token_hex(4)}:ops.ping", json.dumps({"event_id": "ops:1"})),
    )
    assert row is not None
    return int(row["id"])


def test_replayed_dead_letter_runs_again_and_is_marked(
    container: Container, seen: dict[str, str | None]
) -> None:
    letter_id = _dead_letter(container)
    assert letter_id in [d.id for d in list_dead_letters(container.database)]

    with running_worker(container) as publisher:
        letter = replay(container.database, publisher, letter_id)
        eventually(lambda: letter.task_id in seen)
        with pytest.raises(Conflict):
            replay(container.database, publisher, letter_id)
        with pytest.raises(NotFound):
            replay(container.database, publisher, 10**9)

    assert letter_id not in [d.id for d in list_dead_letters(container.database)]
    replayed = list_dead_letters(container.database, include_replayed=True)
    assert next(d.replayed_at for d in replayed if d.id == letter_id) is not None


def test_deadletters_cli_lists_pending_letters_as_json(container: Container) -> None:
    letter_id = _dead_letter(container)
    settings = container.settings
    env = {
        "DATABASE_URL": settings.database_url or "",
        "REDIS_URL": settings.redis_url or "",
        "SECRET_KEY": settings.secret_key or "",
        "CELERY_QUEUE": settings.celery_queue,
    }
    result = CliRunner().invoke(cli, ["deadletters", "list", "--json"], env=env)
    assert result.exit_code == 0, result.output
    listed = {d["id"]: d for d in json.loads(result.output)}
    assert listed[letter_id]["task_name"] == "ops.ping"
    assert listed[letter_id]["kwargs"] == {"event_id": "ops:1"}


class RecordingPublisher:
    def __init__(self) -> None:
        self.published: list[tuple[str, str | None]] = []

    def publish(self, task: str, kwargs: dict[str, Any], task_id: str) -> None:
        self.published.append((task, correlation_id.get()))


def test_request_id_follows_into_the_events_and_the_tasks_they_cause(settings: Settings) -> None:
    from interfaces.http.app import create_app

    with isolated_container(settings) as system, TestClient(create_app(system)) as client:
        email = f"corr-{secrets.token_hex(5)}@example.com"
        response = client.post(
            "/auth/register",
            json={"email": email, "password": "correct horse battery"},
            headers={"X-Request-ID": "req-register-1"},
        )
        assert response.status_code == 201, response.text
        rows = system.database.fetch_all(
            "SELECT application FROM app.event_correlations WHERE correlation_id = %s",
            ("req-register-1",),
        )
        assert {r["application"] for r in rows} == {"identity"}

        publisher = RecordingPublisher()
        Relay(system.database, system.applications, system.outbox_rules(), publisher).catch_up()
        assert publisher.published
        assert {cid for _, cid in publisher.published} == {"req-register-1"}


def test_correlations_older_than_the_retention_are_pruned(container: Container) -> None:
    old = uuid.uuid4()
    container.database.execute(
        "INSERT INTO app.event_correlations"
        " (application, originator_id, originator_version, correlation_id, recorded_at)"
        " VALUES ('identity', %s, 1, 'old', now() - interval '31 days')",
        (old,),
    )
    assert EventCorrelations(container.database).prune(30) >= 1
    assert (
        container.database.fetch_one(
            "SELECT 1 AS x FROM app.event_correlations WHERE originator_id = %s", (old,)
        )
        is None
    )
