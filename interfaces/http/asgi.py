"""The one raw ASGI error response the middlewares send before a route runs."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Receive, Scope, Send


async def send_detail(
    send: Send, status: int, detail: str, extra: list[tuple[bytes, bytes]] | None = None
) -> None:
    """Sends `{"detail": ...}` as a complete JSON response (plus any `extra` headers)."""
    body = json.dumps({"detail": detail}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *(extra or []),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})


class HttpMiddleware:
    """An ASGI middleware for HTTP requests: anything else (lifespan, websockets) passes
    through untouched; subclasses write `handle`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.handle(scope, receive, send)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise NotImplementedError
