"""Refuses text PostgreSQL cannot store, with a 422 naming the fields, before any route sees
it: a NUL character (U+0000) in the path, the query string or a JSON or URL-encoded body, and
a lone UTF-16 surrogate (e.g. "\\ud800") in a JSON body.

Such a value fails the query that reads it (a 500) or, worse, the projection that writes it
later (a poison event). Found by fuzzing `GET /titles/search?q=...%00...`. Multipart bodies
(file uploads) are left to their parsers.
"""

from __future__ import annotations

import contextlib
import json
import re
from urllib.parse import parse_qsl

from starlette.types import Message, Receive, Scope, Send

from interfaces.http.asgi import HttpMiddleware, send_detail

DETAIL = "text must not contain NUL characters (U+0000) or lone surrogates"
JSON_NUL = b"\\u0000"
JSON_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
FORM_NUL = b"%00"


class NulInInput(Exception):
    pass


def _content_type(scope: Scope) -> bytes:
    headers = dict(scope.get("headers", []))
    return headers.get(b"content-type", b"").split(b";")[0].strip().lower()


class NulGuard(HttpMiddleware):
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        query = scope.get("query_string", b"")
        if "\x00" in scope["path"]:
            await _refuse(send, ["the path"])
            return
        if b"\x00" in query or FORM_NUL in query:
            await _refuse(send, _form_fields(query))
            return
        content_type = _content_type(scope)
        if content_type == b"application/json" or content_type.endswith(b"+json"):
            await self._json(scope, receive, send)
        elif content_type == b"application/x-www-form-urlencoded":
            await self._form(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _json(self, scope: Scope, receive: Receive, send: Send) -> None:
        """JSON bodies are small (the size limit applies outside): read whole, check, replay."""
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            body.extend(message.get("body", b""))
            more = message.get("more_body", False)
        if JSON_NUL in body or JSON_SURROGATE.search(body):
            fields = _json_fields(bytes(body))
            if fields is None or fields:
                await _refuse(send, fields or [])
                return
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _form(self, scope: Scope, receive: Receive, send: Send) -> None:
        found = False
        body = bytearray()

        async def checked_receive() -> Message:
            nonlocal found
            message = await receive()
            if message["type"] == "http.request":
                start = max(0, len(body) - len(FORM_NUL) + 1)
                body.extend(message.get("body", b""))
                if FORM_NUL in body[start:]:
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
            await _refuse(send, _form_fields(body))


def _unstorable(text: str) -> bool:
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return True
    return False


def _json_fields(body: bytes) -> list[str] | None:
    """Names (last keys) of the JSON fields PostgreSQL could not store; [] when all is
    well (e.g. a valid surrogate pair for an emoji); None when the body holds a NUL escape
    but does not parse."""
    try:
        document = json.loads(body)
    except ValueError:
        return None if JSON_NUL in body else []
    names: list[str] = []

    def walk(value: object, name: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if _unstorable(key):
                    names.append(key.replace("\x00", ""))
                walk(item, key)
        elif isinstance(value, list):
            for item in value:
                walk(item, name)
        elif isinstance(value, str) and _unstorable(value) and name not in names:
            names.append(name)

    walk(document, "the body")
    return [n.encode("utf-8", "replace").decode("utf-8") for n in names]


def _form_fields(encoded: bytes | bytearray) -> list[str]:
    pairs = parse_qsl(bytes(encoded).decode("latin-1"), keep_blank_values=True)
    return [key.replace("\x00", "") for key, value in pairs if "\x00" in key + value]


async def _refuse(send: Send, fields: list[str]) -> None:
    named = ", ".join(repr(f) for f in fields[:5])
    what = "must not contain NUL characters (U+0000) or lone surrogates"
    await send_detail(send, 422, f"{named} {what}" if named else DETAIL)
