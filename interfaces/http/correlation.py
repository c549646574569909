"""X-Request-ID in and out: every request runs with a correlation id in a contextvar, so its
log lines (and the events and tasks it causes, see docs/operations.md) carry the same id."""

from __future__ import annotations

from typing import Any

from starlette.types import Message, Receive, Scope, Send

from infrastructure.logging import accept_correlation_id, correlation_scope
from interfaces.http.asgi import HttpMiddleware

HEADER = b"x-request-id"


class CorrelationId(HttpMiddleware):
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        incoming = dict(scope.get("headers", [])).get(HEADER)
        value = accept_correlation_id(incoming.decode("latin-1") if incoming else None)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers: list[Any] = [
                    h for h in message.get("headers", []) if h[0].lower() != HEADER
                ]
                headers.append((HEADER, value.encode()))
                message["headers"] = headers
            await send(message)

        with correlation_scope(value):
            await self.app(scope, receive, send_with_id)
