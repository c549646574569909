"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import Iterable

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute

from infrastructure.bootstrap import SHORT_REDIS_TIMEOUT, Container
from interfaces.http import (
    about,
    admin,
    audit,
    esm,
    esm_console,
    esm_publishing,
    identity,
    join,
    manage,
    myvod,
    myvod_lists,
    myvod_more,
    myvod_plan,
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
        myvod_plan,
        myvod_lists,
        esm,
        esm_console,
        esm_publishing,
        survey,
        join,
        manage,
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
    install_rate_limits(
        app, container.settings.rate_limit_enabled, container.redis(SHORT_REDIS_TIMEOUT)
    )
    app.add_middleware(LimitsAndMetrics, max_body_bytes=container.settings.max_request_bytes)
    app.add_middleware(CorrelationId)  # outermost: every log line of the request has the id
    return app


def app_factory() -> FastAPI:
    """For `uvicorn --factory interfaces.http.app:app_factory` (several workers)."""
    from infrastructure.bootstrap import bootstrap, configured_settings
    from infrastructure.logging import configure_logging

    settings = configured_settings()
    configure_logging("api", settings.log_level, settings.log_format)
    return create_app(bootstrap(settings))


def offline_app(secret_key: str = "offline") -> FastAPI:
    """The app's routes and middlewares with no connection behind them: for the OpenAPI
    schema (docs/api.md, the web client) and the route list nginx needs."""
    from types import SimpleNamespace

    from infrastructure.bootstrap import explicit_settings

    placeholder = SimpleNamespace(
        settings=explicit_settings(secret_key=secret_key),
        database=None,
        tokens=None,
        redis=lambda timeout=0: None,
    )
    return create_app(placeholder)  # type: ignore[arg-type]


def route_segments() -> list[str]:
    """First path segments of every API route (plus the server-rendered pages)."""
    from interfaces.http.webapp import api_segments

    app = offline_app("build")
    segments = set()
    for path in _paths(app.routes):
        first = path.strip("/").split("/", 1)[0]
        if first and not first.startswith("{"):
            segments.add(first)
    # and those the API never serves the web app under (its own list), but the mailbox
    segments |= {s for s in api_segments(app) if not s.startswith("_")}
    return sorted(segments)


def _paths(routes: Iterable[object]) -> Iterable[str]:
    """Every route's path; newer FastAPI wraps included routers instead of copying routes."""
    for route in routes:
        path = getattr(route, "path", None)
        if isinstance(path, str):
            yield path
        elif hasattr(route, "effective_route_contexts"):
            for context in route.effective_route_contexts():
                yield str(getattr(context, "path", ""))
