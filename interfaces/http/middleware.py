"""ASGI middleware: request size limit (413, also for chunked bodies), latency metrics,
secure headers (plus a Content-Security-Policy on HTML pages), and a last-resort 500 that logs
the error's type and place only (never its message or a stack trace: they can hold personal
data)."""

from __future__ import annotations

import logging
import time
import traceback
from typing import Any

import psycopg
import psycopg_pool
from eventsourcing import persistence as es_persistence
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from infrastructure.observability import REQUEST_LATENCY
from interfaces.http.asgi import HttpMiddleware, send_detail

log = logging.getLogger("kairos.api")

UNAVAILABLE = (
    psycopg.OperationalError,
    psycopg.InterfaceError,
    psycopg_pool.PoolTimeout,
    es_persistence.OperationalError,
    es_persistence.InterfaceError,
)

SECURE_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
]
HTML_CSP = (
    b"content-security-policy",
    b"default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline';"
    b" frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'",
)
CSP_EXEMPT = ("/docs", "/redoc")  # Swagger UI and ReDoc load their assets from a CDN


class BodyTooLarge(Exception):
    pass


class LimitsAndMetrics(HttpMiddleware):
    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        super().__init__(app)
        self.max_body_bytes = max_body_bytes

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body_bytes:
            await _reject_too_large(send)
            return
        received = 0
        started = time.perf_counter()
        status = {"code": 500}
        exceeded = False
        responded = False

        async def limited_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    exceeded = True
                    raise BodyTooLarge
            return message

        async def send_with_headers(message: Message) -> None:
            nonlocal responded
            if exceeded:
                return  # whatever the app says about a cut-off body, the answer is 413
            if message["type"] == "http.response.start":
                responded = True
                status["code"] = message["status"]
                headers: list[Any] = list(message.get("headers", []))
                names = {h[0].lower() for h in headers}
                headers.extend(h for h in SECURE_HEADERS if h[0] not in names)
                if _is_html(headers) and not scope["path"].startswith(CSP_EXEMPT):
                    headers.extend(h for h in (HTML_CSP,) if h[0] not in names)
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_headers)
            if exceeded:
                raise BodyTooLarge
        except BodyTooLarge:
            await _reject_too_large(send)
            status["code"] = 413
        except Exception as error:
            log.error(
                "unhandled %s on %s %s at %s",
                type(error).__name__,
                scope["method"],
                getattr(scope.get("route"), "path", "unmatched"),
                _where(error),
            )
            unavailable = isinstance(error, UNAVAILABLE)
            if not responded:
                await _internal_error(send, unavailable)
            status["code"] = 503 if unavailable else 500
        finally:
            route = scope.get("route")
            path = getattr(route, "path", "unmatched")
            REQUEST_LATENCY.labels(scope["method"], path, str(status["code"])).observe(
                time.perf_counter() - started
            )


async def _reject_too_large(send: Send) -> None:
    await send_detail(send, 413, "request body too large")


def _is_html(headers: list[Any]) -> bool:
    return any(
        name.lower() == b"content-type" and value.startswith(b"text/html")
        for name, value in headers
    )


def _where(error: BaseException) -> str:
    frames = traceback.extract_tb(error.__traceback__)
    return f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"


async def _internal_error(send: Send, unavailable: bool = False) -> None:
    """500, or 503 + Retry-After when the database is unreachable (e.g. restarting)."""
    body = (
        b'{"detail":"the database is unavailable; retry shortly"}'
        if unavailable
        else b'{"detail":"internal error"}'
    )
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *SECURE_HEADERS,
        *([(b"retry-after", b"2")] if unavailable else []),
    ]
    status = 503 if unavailable else 500
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
