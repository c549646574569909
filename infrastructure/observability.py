"""Prometheus metrics and lag figures shared by /ready, /metrics and the CLI."""

from __future__ import annotations

from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

if TYPE_CHECKING:
    from infrastructure.bootstrap import Container

REGISTRY = CollectorRegistry()
REQUEST_LATENCY = Histogram(
    "kairos_http_request_seconds",
    "HTTP request latency",
    ["method", "route", "status"],
    registry=REGISTRY,
)
TASK_OUTCOMES = Counter(
    "kairos_task_outcomes_total", "Celery task outcomes", ["task", "outcome"], registry=REGISTRY
)
EMAILS = Counter(
    "kairos_emails_total",
    "Emails handed to the provider: sent, deferred (429/5xx/timeout, retried), failed (refused)",
    ["outcome"],
    registry=REGISTRY,
)


def projection_lags(container: Container) -> dict[str, int]:
    heads = {
        name: app.recorder.max_notification_id() or 0
        for name, app in container.applications.items()
    }
    positions = {
        (r["projection"], r["application"]): r["position"]
        for r in container.database.fetch_all(
            "SELECT projection, application, position FROM app.projection_positions"
        )
    }
    lags: dict[str, int] = {}
    for projection in container.projections():
        lag = 0
        for app_name in projection.applications:
            lag = max(lag, heads.get(app_name, 0) - positions.get((projection.name, app_name), 0))
        lags[projection.name] = max(0, lag)
    return lags


def metrics_text(container: Container) -> str:
    registry = CollectorRegistry()
    lag = Gauge(
        "kairos_projection_lag_events",
        "Events behind the log head",
        ["projection"],
        registry=registry,
    )
    for name, value in projection_lags(container).items():
        lag.labels(name).set(value)
    relay_lag = Gauge(
        "kairos_relay_lag_events",
        "Events the relay has not published",
        ["application"],
        registry=registry,
    )
    heads = {n: a.recorder.max_notification_id() or 0 for n, a in container.applications.items()}
    relay = {
        r["application"]: r["position"]
        for r in container.database.fetch_all(
            "SELECT application, position FROM app.relay_positions"
        )
    }
    for app_name, head in heads.items():
        relay_lag.labels(app_name).set(max(0, head - relay.get(app_name, 0)))
    dead = Gauge(
        "kairos_dead_letters", "Tasks that failed for good and await an operator", registry=registry
    )
    row = container.database.fetch_one(
        "SELECT count(*) AS n FROM app.dead_letters WHERE replayed_at IS NULL"
    )
    dead.set(row["n"] if row else 0)
    failures = Gauge(
        "kairos_projection_failures", "Poison events isolated by projections", registry=registry
    )
    row = container.database.fetch_one("SELECT count(*) AS n FROM app.projection_failures")
    failures.set(row["n"] if row else 0)
    return (generate_latest(REGISTRY) + generate_latest(registry)).decode()
