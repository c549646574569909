"""Relay throughput to Redis (Celery messages) over a backlog, and commit-to-enqueue latency
at a steady append rate, through Kairos's Relay and CeleryPublisher."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from application.shared.outbox import OutboxRule
from benchmarks import common
from benchmarks.projection import backlog
from infrastructure import bootstrap
from infrastructure.celery_app import CeleryPublisher
from infrastructure.postgres.database import Database, connect_pool
from infrastructure.relay import Relay

RULE = OutboxRule(
    event=common.Item.Recorded, task="bench.noop", kwargs=lambda e: {"item": str(e.originator_id)}
)


class TimedPublisher(CeleryPublisher):
    """Notes when each message was accepted by Redis (the end of its batch)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.enqueued_at: dict[int, float] = {}
        self._sent: list[int] = []

    @contextmanager
    def batch(self, max_size: int = 1000) -> Iterator[None]:
        self._sent = []
        with super().batch(max_size):
            yield
        now = time.perf_counter()
        for notification_id in self._sent:
            self.enqueued_at[notification_id] = now

    def publish(self, task: str, kwargs: dict[str, Any], task_id: str) -> None:
        super().publish(task, kwargs, task_id)
        self._sent.append(int(task_id.split(":")[1]))


def run(server_url: str, redis_url: str, profile: common.Profile) -> common.Result:
    result = common.Result("relay")
    queue = f"kairos-bench-{secrets.token_hex(4)}"
    client = bootstrap.redis_client(redis_url, timeout=30.0)
    with common.fresh_database(server_url, "relay") as url:
        settings = bootstrap.explicit_settings(
            database_url=url, redis_url=redis_url, celery_queue=queue
        )
        publisher = TimedPublisher(bootstrap.celery(settings), queue, client)
        app = common.bench_app(url)
        pool = connect_pool(url, max_size=4, name="bench-relay")
        try:
            relay = Relay(Database(pool), {"bench": app}, [RULE], publisher)
            backlog(app, profile.relay_events)  # 80% match the rule
            began = time.perf_counter()
            processed = relay.catch_up()
            elapsed = time.perf_counter() - began
            published = int(client.llen(queue))
            result.figures["relay_events"] = processed
            result.figures["relay_messages"] = published
            result.figures["relay_events_per_s"] = common.rate(processed, elapsed)
            result.figures["relay_messages_per_s"] = common.rate(published, elapsed)
            client.delete(queue)
            result.figures.update(live_latency(url, app, relay, publisher, profile))
        finally:
            client.delete(queue)
            app.close()
            pool.close()
    return result


def live_latency(
    url: str, app: Any, relay: Relay, publisher: TimedPublisher, profile: common.Profile
) -> dict[str, float]:
    lags, missing, achieved = common.live_lags(
        url,
        app,
        relay,
        "bench-relay",
        publisher.enqueued_at,
        profile.live_rate,
        profile.relay_live_seconds,
    )
    return {
        "relay_live_events_per_s": achieved,
        "relay_commit_to_enqueue_p50_ms": common.ms(common.percentile(lags, 50)),
        "relay_commit_to_enqueue_p99_ms": common.ms(common.percentile(lags, 99)),
        "relay_live_missing": missing,
    }
