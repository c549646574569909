"""Projection catch-up over a backlog, and live lag (commit -> visible in the read model) at
a steady append rate, through Kairos's Projector and a one-row-per-event projection."""

from __future__ import annotations

import time
from collections.abc import Sequence
from functools import singledispatchmethod
from typing import Any
from uuid import uuid4

import psycopg
from eventsourcing.persistence import Notification

from application.shared.projection import Position, Projection
from benchmarks import common
from infrastructure.postgres.database import Database, connect_pool
from infrastructure.postgres.projector import Projector

VIEW = "public.bench_items"


class ItemsProjection(Projection):
    """One upsert per event, like most Kairos read models."""

    name = "bench_items"
    applications = ("bench",)
    handles = (common.Item.Recorded, common.Item.Changed)
    tables = (VIEW,)

    @singledispatchmethod
    def apply(self, event: Any, cursor: Any, position: Position) -> None:
        raise NotImplementedError(type(event))

    @apply.register
    def _(self, event: common.Item.Recorded, cursor: Any, position: Position) -> None:
        cursor.execute(
            f"INSERT INTO {VIEW} (id, campaign, label, value, position)"
            " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING",
            (
                event.originator_id,
                event.campaign,
                event.label,
                event.value,
                position.notification_id,
            ),
        )

    @apply.register
    def _(self, event: common.Item.Changed, cursor: Any, position: Position) -> None:
        cursor.execute(
            f"UPDATE {VIEW} SET value = %s, position = %s WHERE id = %s",
            (event.value, position.notification_id, event.originator_id),
        )


class TimedProjector(Projector):
    """Notes when each notification became visible (its batch transaction committed)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.visible_at: dict[int, float] = {}

    def _write_batch(
        self,
        projection: Projection,
        app: Any,
        app_name: str,
        start: int,
        notifications: Sequence[Notification],
        isolate: bool,
    ) -> None:
        super()._write_batch(projection, app, app_name, start, notifications, isolate)
        now = time.perf_counter()
        for notification in notifications:
            self.visible_at[notification.id] = now


def backlog(app: common.BenchApplication, count: int, chunk: int = 1000) -> None:
    """Writes `count` events (80% creations, 20% changes) in large appends."""
    campaign = uuid4()
    recent: list[common.Item] = []
    for start in range(0, count, chunk):
        events: list[Any] = []
        for i in range(start, min(count, start + chunk)):
            if recent and i % 5 == 4:
                item = recent[i % len(recent)]
                item.change(i)
            else:
                item = common.Item(campaign, f"item-{i}", i)
                recent.append(item)
                if len(recent) > 200:
                    recent.pop(0)
            events.extend(item.collect_events())
        app.recorder.insert_events([app.mapper.to_stored_event(e) for e in events])


def run(server_url: str, profile: common.Profile) -> common.Result:
    result = common.Result("projection")
    with common.fresh_database(server_url, "projection") as url:
        app = common.bench_app(url)
        pool = connect_pool(url, max_size=4, name="bench-projection")
        database = Database(pool)
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(
                f"CREATE TABLE {VIEW} (id uuid PRIMARY KEY, campaign uuid, label text,"
                " value int, position bigint)"
            )
        try:
            backlog(app, profile.catchup_events)
            projector = TimedProjector(database, {"bench": app}, [ItemsProjection()])
            began = time.perf_counter()
            processed = projector.catch_up(strict=True)
            elapsed = time.perf_counter() - began
            result.figures["catchup_events"] = processed
            result.figures["catchup_events_per_s"] = common.rate(processed, elapsed)
            result.figures.update(live_lag(url, app, projector, profile))
        finally:
            app.close()
            pool.close()
    return result


def live_lag(
    url: str, app: common.BenchApplication, projector: TimedProjector, profile: common.Profile
) -> dict[str, float]:
    """Appends at a steady rate while the projector runs; lag = visible - committed."""
    lags, missing, achieved = common.live_lags(
        url,
        app,
        projector,
        "bench-projector",
        projector.visible_at,
        profile.live_rate,
        profile.live_seconds,
    )
    return {
        "live_target_events_per_s": profile.live_rate,
        "live_achieved_events_per_s": achieved,
        "live_lag_p50_ms": common.ms(common.percentile(lags, 50)),
        "live_lag_p99_ms": common.ms(common.percentile(lags, 99)),
        "live_events_missing": missing,
    }
