"""Refuses text holding a NUL character (U+0000) anywhere in the path, the query string or a
JSON or URL-encoded body, with a 422, before any route sees it.

PostgreSQL text cannot store NUL: such a value fails the query that reads it (a 500) or,
worse, the projection that writes it later (a poison event). Found by fuzzing
`GET /titles/search?q=...%00...`. Multipart bodies (file uploads) are left to their parsers.
"""

from __future__ import annotations

import contextlib
import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

DETAIL = "text must not contain NUL characters (U+0000)"
JSON_NUL = b"\\u0000"
FORM_NUL = b"%00"


class NulInInput(Exception):
    pass


def _needle(headers: dict[bytes, bytes]) -> bytes | None:
    content_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
    if content_type == b"application/json" or content_type.endswith(b"+json"):
        return JSON_NUL
    if content_type == b"application/x-www-form-urlencoded":
        return FORM_NUL
    return None


class NulGuard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"")
        if "\x00" in scope["path"] or b"\x00" in query or FORM_NUL in query:
            await _refuse(send)
            return
        needle = _needle(dict(scope.get("headers", [])))
        if needle is None:
            await self.app(scope, receive, send)
            return
        found = False
        tail = b""

        async def checked_receive() -> Message:
            nonlocal found, tail
            message = await receive()
            if message["type"] == "http.request":
                chunk = tail + message.get("body", b"")
                if needle in chunk:
                    found = True
                    raise NulInInput
                tail = chunk[-(len(needle) - 1) :]
            return message

        async def guarded_send(message: Message) -> None:
            if not found:  # the app's answer to a refused body is replaced by the 422
                await send(message)

        with contextlib.suppress(NulInInput):
            await self.app(scope, checked_receive, guarded_send)
        if found:
            await _refuse(send)


async def _refuse(send: Send) -> None:
    body = json.dumps({"detail": DETAIL}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 422,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body, "more_body": False})
