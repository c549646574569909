"""Prometheus metrics and lag figures shared by /ready, /metrics and the CLI."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from eventsourcing.application import Application
from prometheus_client import CollectorRegistry, Gauge, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily

from application.shared.projection import Projection
from infrastructure.postgres.database import Database

log = logging.getLogger("kairos.metrics")
REGISTRY = CollectorRegistry()
REQUEST_LATENCY = Histogram(
    "kairos_http_request_seconds",
    "HTTP request latency",
    ["method", "route", "status"],
    registry=REGISTRY,
)


class SharedCounters:
    """Counters summed over every process and machine: one Redis hash per deployment
    (namespaced by the Celery queue name). Workers count task outcomes and emails; the API's
    /metrics reads the totals, so one scrape target covers all workers. Counting never
    raises: without Redis the counts stay in this process only."""

    METRICS = {
        "task_outcomes": ("Celery task outcomes (success, retry, failure)", ("task", "outcome")),
        "emails": (
            "Emails handed to the provider: sent, deferred (429/5xx/timeout, retried),"
            " failed (refused for good)",
            ("outcome",),
        ),
        "dead_lettered": ("Tasks dead-lettered after their last retry", ("task",)),
        "suggester_errors": (
            "Suggester (Gemini) failures by HTTP status, or `transport`; suggestions then"
            " fall back offline",
            ("vendor", "status"),
        ),
    }

    def __init__(self, client: Any = None, namespace: str = "kairos") -> None:
        self.client = client
        self.key = f"kairos:metrics:{namespace}"
        self.local: dict[str, int] = {}

    def incr(self, metric: str, **labels: str) -> None:
        field = json.dumps([metric, sorted(labels.items())])
        if self.client is not None:
            try:
                self.client.hincrby(self.key, field, 1)
                return
            except Exception as error:  # metrics must never fail the work they count
                log.warning("could not count %s in redis: %r", metric, error)
        self.local[field] = self.local.get(field, 0) + 1

    def totals(self) -> dict[str, int]:
        counts = dict(self.local)
        if self.client is not None:
            try:
                for field, value in self.client.hgetall(self.key).items():
                    name = field.decode() if isinstance(field, bytes) else field
                    counts[name] = counts.get(name, 0) + int(value)
            except Exception as error:
                log.warning("could not read counters from redis: %r", error)
        return counts

    def collect(self, registry: CollectorRegistry) -> None:
        families = {
            name: CounterMetricFamily(f"kairos_{name}", doc, labels=list(labels))
            for name, (doc, labels) in self.METRICS.items()
        }
        for field, value in self.totals().items():
            metric, pairs = json.loads(field)
            family = families.get(metric)
            if family is None:
                continue
            labels = dict(pairs)
            _doc, names = self.METRICS[metric]
            family.add_metric([labels.get(n, "") for n in names], value)
        registry.register(_Static(list(families.values())))


class _Static:
    def __init__(self, families: list[Any]) -> None:
        self.families = families

    def collect(self) -> list[Any]:
        return self.families


def log_heads(applications: Mapping[str, Application]) -> dict[str, int]:
    return {name: app.recorder.max_notification_id() or 0 for name, app in applications.items()}


def projection_lags(
    database: Database, applications: Mapping[str, Application], projections: Sequence[Projection]
) -> dict[str, int]:
    heads = log_heads(applications)
    positions = {
        (r["projection"], r["application"]): r["position"]
        for r in database.fetch_all(
            "SELECT projection, application, position FROM app.projection_positions"
        )
    }
    lags: dict[str, int] = {}
    for projection in projections:
        lag = 0
        for app_name in projection.applications:
            lag = max(lag, heads.get(app_name, 0) - positions.get((projection.name, app_name), 0))
        lags[projection.name] = max(0, lag)
    return lags


def _gauge(registry: CollectorRegistry, name: str, doc: str, labels: Sequence[str] = ()) -> Gauge:
    return Gauge(name, doc, list(labels), registry=registry)


def _count(database: Database, sql: str) -> int:
    row = database.fetch_one(sql)
    return int(row["n"]) if row else 0


def metrics_text(
    database: Database,
    applications: Mapping[str, Application],
    projections: Sequence[Projection],
    counters: SharedCounters,
) -> str:
    registry = CollectorRegistry()
    lag = _gauge(
        registry, "kairos_projection_lag_events", "Events behind the log head", ["projection"]
    )
    for name, value in projection_lags(database, applications, projections).items():
        lag.labels(name).set(value)
    relay_lag = _gauge(
        registry, "kairos_relay_lag_events", "Events the relay has not published", ["application"]
    )
    relay = {
        r["application"]: r["position"]
        for r in database.fetch_all("SELECT application, position FROM app.relay_positions")
    }
    for app_name, head in log_heads(applications).items():
        relay_lag.labels(app_name).set(max(0, head - relay.get(app_name, 0)))
    _gauge(registry, "kairos_dead_letters", "Tasks that failed for good and await an operator").set(
        _count(database, "SELECT count(*) AS n FROM app.dead_letters WHERE replayed_at IS NULL")
    )
    _gauge(registry, "kairos_projection_failures", "Poison events isolated by projections").set(
        _count(database, "SELECT count(*) AS n FROM app.projection_failures")
    )
    counters.collect(registry)
    return (generate_latest(REGISTRY) + generate_latest(registry)).decode()
