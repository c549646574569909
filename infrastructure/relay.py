"""The outbox relay: follows each application's notification log and publishes a Celery task
for every event an outbox rule matches, then records its position (at-least-once)."""

from __future__ import annotations

import contextlib
import logging
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from eventsourcing.application import Application
from eventsourcing.utils import get_topic

from application.shared.outbox import OutboxRule
from infrastructure.correlation import EventCorrelations
from infrastructure.logging import correlation_scope
from infrastructure.postgres.database import Database
from infrastructure.postgres.leader_loop import FollowsTheLog

log = logging.getLogger("kairos.relay")


class TaskPublisher(Protocol):
    def publish(self, task: str, kwargs: dict[str, Any], task_id: str) -> None: ...


def task_id_for(application: str, notification_id: int, task: str) -> str:
    return f"{application}:{notification_id}:{task}"


class Relay(FollowsTheLog):
    role = "relay"
    hold_on = (Exception,)  # a broker that is down holds the position: sent later

    def __init__(
        self,
        database: Database,
        applications: Mapping[str, Application],
        rules: Sequence[OutboxRule],
        publisher: TaskPublisher,
        batch_size: int = 500,
    ) -> None:
        self.database = database
        self.applications = applications
        self.publisher = publisher
        self.batch_size = batch_size
        self.correlations = EventCorrelations(database)
        self.rules: dict[str, list[OutboxRule]] = defaultdict(list)
        for rule in rules:
            self.rules[get_topic(rule.event)].append(rule)

    def position(self, app_name: str) -> int:
        row = self.database.fetch_one(
            "SELECT position FROM app.relay_positions WHERE application = %s", (app_name,)
        )
        return int(row["position"]) if row else 0

    def process_batch(self, app_name: str) -> int:
        app = self.applications[app_name]
        start = self.position(app_name)
        notifications = app.recorder.select_notifications(start=start + 1, limit=self.batch_size)
        if not notifications:
            return 0
        causes = self.correlations.lookup(
            app_name, [(n.originator_id, n.originator_version) for n in notifications]
        )
        # A publisher with batch() sends the whole batch in pipelined writes on exit.
        batch = getattr(self.publisher, "batch", None)
        with batch() if batch is not None else contextlib.nullcontext():
            for notification in notifications:
                rules = self.rules.get(notification.topic)
                if not rules:
                    continue
                event = app.mapper.to_domain_event(notification)
                for rule in rules:
                    kwargs = rule.kwargs(event)
                    kwargs["event_id"] = f"{app_name}:{notification.id}"
                    cause = causes.get(
                        (notification.originator_id, notification.originator_version)
                    )
                    with correlation_scope(cause):
                        self.publisher.publish(
                            rule.task, kwargs, task_id_for(app_name, notification.id, rule.task)
                        )
        # Only after the broker accepted every task: a crash before this line republishes.
        self.database.execute(
            "INSERT INTO app.relay_positions (application, position) VALUES (%s, %s)"
            " ON CONFLICT (application) DO UPDATE SET position = EXCLUDED.position,"
            " updated_at = now() WHERE app.relay_positions.position < EXCLUDED.position",
            (app_name, notifications[-1].id),
        )
        return len(notifications)

    def catch_up(self) -> int:
        total = 0
        for app_name in self.applications:
            while True:
                count = self.process_batch(app_name)
                total += count
                if count < self.batch_size:
                    break
        return total

    def lag(self) -> dict[str, int]:
        return {
            name: max(0, (app.recorder.max_notification_id() or 0) - self.position(name))
            for name, app in self.applications.items()
        }
