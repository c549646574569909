"""Refuses text holding a NUL character (U+0000) anywhere in the path, the query string or a
JSON or URL-encoded body, with a 422, before any route sees it.

PostgreSQL text cannot store NUL: such a value fails the query that reads it (a 500) or,
worse, the projection that writes it later (a poison event). Found by fuzzing
`GET /titles/search?q=...%00...`. Multipart bodies (file uploads) are left to their parsers.
"""

from __future__ import annotations

import contextlib
import json
from urllib.parse import parse_qsl

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
        if "\x00" in scope["path"]:
            await _refuse(send, ["the path"])
            return
        if b"\x00" in query or FORM_NUL in query:
            await _refuse(send, _form_fields(query))
            return
        needle = _needle(dict(scope.get("headers", [])))
        if needle is None:
            await self.app(scope, receive, send)
            return
        found = False
        body = bytearray()  # what was read so far (bounded by the size limit outside)

        async def checked_receive() -> Message:
            nonlocal found
            message = await receive()
            if message["type"] == "http.request":
                start = max(0, len(body) - len(needle) + 1)
                body.extend(message.get("body", b""))
                if needle in body[start:]:
                    found = True
                    more = message.get("more_body", False)
                    while more:  # read the rest, to name the fields in the answer
                        rest = await receive()
                        body.extend(rest.get("body", b""))
                        more = rest.get("more_body", False)
                    raise NulInInput
            return message

        async def guarded_send(message: Message) -> None:
            if not found:  # the app's answer to a refused body is replaced by the 422
                await send(message)

        with contextlib.suppress(NulInInput):
            await self.app(scope, checked_receive, guarded_send)
        if found:
            fields = _json_fields(bytes(body)) if needle == JSON_NUL else _form_fields(body)
            await _refuse(send, fields)


def _json_fields(body: bytes) -> list[str]:
    """Names of the JSON fields whose text holds a NUL (their last key, for messages)."""
    try:
        document = json.loads(body)
    except ValueError:
        return []
    names: list[str] = []

    def walk(value: object, name: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if "\x00" in key:
                    names.append(key.replace("\x00", ""))
                walk(item, key)
        elif isinstance(value, list):
            for item in value:
                walk(item, name)
        elif isinstance(value, str) and "\x00" in value and name not in names:
            names.append(name)

    walk(document, "the body")
    return names


def _form_fields(encoded: bytes | bytearray) -> list[str]:
    pairs = parse_qsl(bytes(encoded).decode("latin-1"), keep_blank_values=True)
    return [key.replace("\x00", "") for key, value in pairs if "\x00" in key + value]


async def _refuse(send: Send, fields: list[str]) -> None:
    named = ", ".join(repr(f) for f in fields[:5])
    detail = f"{named} must not contain NUL characters (U+0000)" if named else DETAIL
    body = json.dumps({"detail": detail}).encode()
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
