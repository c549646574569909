"""Health, readiness and metrics."""

from __future__ import annotations

import redis
from fastapi import APIRouter
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import BaseModel

from infrastructure.observability import metrics_text, projection_lags
from interfaces.http.deps import ContainerDep

router = APIRouter(tags=["operations"])


class Health(BaseModel):
    status: str


class Readiness(BaseModel):
    ready: bool
    database: bool
    broker: bool
    projection_lag: dict[str, int]


@router.get("/health", response_model=Health)
def health() -> Health:
    return Health(status="ok")


@router.get("/ready", response_model=Readiness, responses={503: {"model": Readiness}})
def ready(container: ContainerDep) -> JSONResponse:
    try:
        lags = projection_lags(container.database, container.applications, container.projections())
        database = True
    except Exception:
        lags, database = {}, False
    broker = _broker_answers(container.redis(timeout=1.0))
    threshold = container.settings.projection_lag_threshold
    ok = database and broker and all(v <= threshold for v in lags.values())
    body = Readiness(ready=ok, database=database, broker=broker, projection_lag=lags)
    return JSONResponse(body.model_dump(), status_code=200 if ok else 503)


@router.get("/metrics", response_class=PlainTextResponse)
def metrics(container: ContainerDep) -> PlainTextResponse:
    text = metrics_text(
        container.database, container.applications, container.projections(), container.counters
    )
    return PlainTextResponse(text, media_type="text/plain; version=0.0.4")


def _broker_answers(client: redis.Redis | None) -> bool:
    if client is None:
        return False
    try:
        return bool(client.ping())
    except (redis.RedisError, OSError):
        return False
