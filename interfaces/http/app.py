"""The FastAPI application factory."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute

from infrastructure.bootstrap import Container
from interfaces.http import (
    about,
    admin,
    audit,
    esm,
    identity,
    myvod,
    myvod_more,
    ops,
    session,
    survey,
    webhooks,
)
from interfaces.http.correlation import CorrelationId
from interfaces.http.errors import install_error_handlers
from interfaces.http.idempotency import (
    IdempotencyMiddleware,
    document_idempotency,
    idempotency_options,
)
from interfaces.http.inputs import NulGuard
from interfaces.http.middleware import LimitsAndMetrics
from interfaces.http.ratelimit import install_rate_limits
from interfaces.http.webapp import install_web_app

DESCRIPTION = """One event-sourced backend for **MyVOD** (watchlists that know where to watch)
and **ESMpress** (experience-sampling campaigns). Errors are `{"detail": ...}`."""


def operation_id(route: APIRoute) -> str:
    """Operation ids are the route functions' names (`get_watchlist`), so the generated web
    client reads `getWatchlist()`; names are unique (tests/unit/test_openapi_client.py)."""
    return route.name


def create_app(container: Container) -> FastAPI:
    app = FastAPI(
        title="Kairos",
        version="0.1.0",
        description=DESCRIPTION,
        generate_unique_id_function=operation_id,
    )
    app.state.container = container
    install_error_handlers(app)
    for module in (
        ops,
        about,
        identity,
        session,
        myvod,
        myvod_more,
        esm,
        survey,
        audit,
        admin,
        webhooks,
    ):
        app.include_router(module.router)
    install_web_app(app)  # answers the GETs no route takes (deep links of the web app)
    app.add_middleware(IdempotencyMiddleware, **idempotency_options(container))
    document_idempotency(app)
    app.add_middleware(NulGuard)  # outside idempotency: refused input is never stored
    if container.settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=container.settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["*"],
        )
    install_rate_limits(app, container.settings)
    app.add_middleware(LimitsAndMetrics, max_body_bytes=container.settings.max_request_bytes)
    app.add_middleware(CorrelationId)  # outermost: every log line of the request has the id
    return app


def app_factory() -> FastAPI:
    """For `uvicorn --factory interfaces.http.app:app_factory` (several workers)."""
    from infrastructure.bootstrap import bootstrap
    from infrastructure.logging import configure_logging
    from infrastructure.settings import Settings

    settings = Settings().with_runtime()
    configure_logging("api", settings.log_level, settings.log_format)
    return create_app(bootstrap(settings))
