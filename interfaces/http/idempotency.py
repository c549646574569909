"""Idempotency-Key for every request that changes something (POST, PUT, PATCH, DELETE).

The first request with a key claims a row in `app.idempotency_keys` (unique on scope + key,
so the guarantee comes from PostgreSQL, not a cache, and survives restarts); its response is
stored, and every retry with the same key and the same request gets that stored response
back without running the route again, so no second event is written. The same key with a
different request is refused with 422; a retry that arrives while the first is still running
waits for it, then gets 409 if it is still running. A 5xx or a crash releases the key so a
retry may run again.

The scope is the caller's account (from the bearer token) or, without one, the route path.
`/auth/token` and `/auth/refresh` are excluded: their responses are fresh credentials, which
must never be stored.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import anyio
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from domain.shared.errors import DomainError
from infrastructure.postgres.database import Database
from interfaces.http.asgi import send_detail

if TYPE_CHECKING:
    from infrastructure.bootstrap import Container

log = logging.getLogger("kairos.idempotency")

HEADER = b"idempotency-key"
METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
EXCLUDED_PATHS = frozenset({"/auth/token", "/auth/refresh"})
MAX_KEY_LENGTH = 255
STALE_AFTER_SECONDS = 60
WAIT_SECONDS = 10.0
PRUNE_PROBABILITY = 0.01
NOT_STORED_HEADERS = frozenset({b"set-cookie", b"content-length", b"date", b"server"})

Scoper = Callable[[Scope], str]


@dataclass(frozen=True)
class Claim:
    outcome: str
    """"new" (run the request), "replay", "mismatch" or "in_progress"."""
    status: int | None = None
    headers: list[list[str]] | None = None
    body: bytes | None = None


class IdempotencyStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    def claim(self, scope: str, key: str, method: str, path: str, fingerprint: str) -> Claim:
        if random.random() < PRUNE_PROBABILITY:
            self.prune()
        with self.database.pool.connection() as conn, conn.transaction():
            conn.execute(
                "DELETE FROM app.idempotency_keys WHERE scope = %s AND key = %s"
                " AND expires_at < now()",
                (scope, key),
            )
            inserted = conn.execute(
                "INSERT INTO app.idempotency_keys (scope, key, method, path, fingerprint)"
                " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (scope, key) DO NOTHING RETURNING 1",
                (scope, key, method, path, fingerprint),
            ).fetchone()
            if inserted:
                return Claim("new")
            row = conn.execute(
                "SELECT fingerprint, status, headers, body,"
                " created_at < now() - make_interval(secs => %s) AS stale"
                " FROM app.idempotency_keys WHERE scope = %s AND key = %s FOR UPDATE",
                (STALE_AFTER_SECONDS, scope, key),
            ).fetchone()
            if row is None:  # expired and deleted by a concurrent request; try again
                return Claim("in_progress")
            stored_fingerprint, status, headers, body, stale = row
            if not hmac.compare_digest(stored_fingerprint, fingerprint):
                return Claim("mismatch")
            if status is not None:
                return Claim("replay", status, headers, bytes(body or b""))
            if stale:  # the first attempt died without an answer: let this one run
                conn.execute(
                    "UPDATE app.idempotency_keys SET created_at = now()"
                    " WHERE scope = %s AND key = %s",
                    (scope, key),
                )
                return Claim("new")
            return Claim("in_progress")

    def prune(self, limit: int = 1000) -> int:
        """Deletes expired keys, a bounded batch at a time (called now and then by claim)."""
        return self.database.execute(
            "DELETE FROM app.idempotency_keys WHERE ctid IN (SELECT ctid FROM"
            " app.idempotency_keys WHERE expires_at < now() LIMIT %s)",
            (limit,),
        )

    def complete(
        self, scope: str, key: str, status: int, headers: list[list[str]], body: bytes
    ) -> None:
        self.database.execute(
            "UPDATE app.idempotency_keys SET status = %s, headers = %s, body = %s,"
            " completed_at = now() WHERE scope = %s AND key = %s",
            (status, json.dumps(headers), body, scope, key),
        )

    def release(self, scope: str, key: str) -> None:
        self.database.execute(
            "DELETE FROM app.idempotency_keys WHERE scope = %s AND key = %s AND status IS NULL",
            (scope, key),
        )


def fingerprint_of(scope: Scope, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (scope["method"], scope["path"], scope.get("query_string", b"").decode()):
        digest.update(part.encode() + b"\0")
    digest.update(body)
    return digest.hexdigest()


def valid_key(raw: bytes) -> str | None:
    try:
        key = raw.decode("ascii")
    except UnicodeDecodeError:
        return None
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not all(33 <= ord(c) <= 126 for c in key):
        return None
    return key


class IdempotencyMiddleware:
    def __init__(
        self, app: ASGIApp, database: Database, scoper: Scoper, secret: bytes = b""
    ) -> None:
        self.app = app
        self.store = IdempotencyStore(database)
        self.scoper = scoper
        self.secret = secret

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in METHODS
            or scope["path"] in EXCLUDED_PATHS
        ):
            await self.app(scope, receive, send)
            return
        raw_key = dict(scope.get("headers", [])).get(HEADER)
        if raw_key is None:
            await self.app(scope, receive, send)
            return
        key = valid_key(raw_key)
        if key is None:
            await send_detail(send, 422, "Idempotency-Key must be 1-255 visible ASCII characters")
            return
        body = await _read_body(receive)
        owner = self.scoper(scope)
        fingerprint = fingerprint_of(scope, body)
        claim = await self._claim(owner, key, scope, fingerprint)
        if claim.outcome == "mismatch":
            await send_detail(
                send,
                422,
                "this Idempotency-Key was already used with a different request;"
                " use a new key for a new request",
            )
            return
        if claim.outcome == "in_progress":
            await send_detail(
                send,
                409,
                "a request with this Idempotency-Key is still being processed; retry shortly",
                extra=[(b"retry-after", b"1")],
            )
            return
        if claim.outcome == "replay":
            await _replay(send, claim, self._cipher(body))
            return
        await self._execute(scope, body, receive, send, owner, key)

    async def _claim(self, owner: str, key: str, scope: Scope, fingerprint: str) -> Claim:
        deadline = anyio.current_time() + WAIT_SECONDS
        delay = 0.02
        while True:
            claim = await anyio.to_thread.run_sync(
                self.store.claim, owner, key, scope["method"], scope["path"], fingerprint
            )
            if claim.outcome != "in_progress" or anyio.current_time() >= deadline:
                return claim
            await anyio.sleep(delay)
            delay = min(delay * 2, 0.25)

    async def _execute(
        self, scope: Scope, body: bytes, receive: Receive, send: Send, owner: str, key: str
    ) -> None:
        start: Message | None = None
        chunks: list[bytes] = []
        delivered = False

        async def replay_receive() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    await self._finish(start, b"".join(chunks), send, owner, key, body)

        try:
            await self.app(scope, replay_receive, capture)
        except BaseException:
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(self.store.release, owner, key)
            raise

    def _cipher(self, request_body: bytes) -> AESGCM:
        """The stored response is encrypted with a key derived from the server secret and
        the request itself, so only a client repeating the request can read it, and once a
        person's data is erased elsewhere the stored copy is unreadable too (the key
        material, e.g. the email in a registration, is stored nowhere)."""
        digest = hmac.new(self.secret, b"idempotency-body\0" + request_body, hashlib.sha256)
        return AESGCM(digest.digest())

    async def _finish(
        self,
        start: Message | None,
        body: bytes,
        send: Send,
        owner: str,
        key: str,
        request_body: bytes = b"",
    ) -> None:
        assert start is not None
        status = int(start["status"])
        headers = [
            [name.decode("latin-1"), value.decode("latin-1")]
            for name, value in start.get("headers", [])
            if name.lower() not in NOT_STORED_HEADERS
        ]
        if status >= 500:
            await anyio.to_thread.run_sync(self.store.release, owner, key)
        else:  # stored before the client sees it, so any retry finds it
            nonce = os.urandom(12)
            sealed = nonce + self._cipher(request_body).encrypt(nonce, body, None)
            await anyio.to_thread.run_sync(self.store.complete, owner, key, status, headers, sealed)
        await send(start)
        await send({"type": "http.response.body", "body": body, "more_body": False})


def bearer_scoper(decode: Callable[[str], str]) -> Scoper:
    """Scope by the account in a valid bearer token, else by the route path."""

    def scoper(scope: Scope) -> str:
        auth = dict(scope.get("headers", [])).get(b"authorization", b"").decode("latin-1")
        if auth.lower().startswith("bearer "):
            try:
                return f"account:{decode(auth[7:].strip())}"
            except DomainError:
                pass
        return f"anon:{scope['path']}"

    return scoper


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


async def _replay(send: Send, claim: Claim, cipher: AESGCM) -> None:
    headers: list[Any] = [
        (name.encode("latin-1"), value.encode("latin-1")) for name, value in claim.headers or []
    ]
    sealed = claim.body or b""
    body = cipher.decrypt(sealed[:12], sealed[12:], None) if sealed else b""
    headers.append((b"content-length", str(len(body)).encode()))
    headers.append((b"idempotent-replayed", b"true"))
    await send({"type": "http.response.start", "status": claim.status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})


def idempotency_options(container: Container) -> dict[str, Any]:
    """The middleware's arguments, built from the container (used by create_app)."""

    def account_of(token: str) -> str:
        return str(container.tokens.decode(token, "access").account_id)

    secret = hashlib.sha256((container.settings.secret_key or "").encode()).digest()
    return {"database": container.database, "scoper": bearer_scoper(account_of), "secret": secret}


def document_idempotency(app: FastAPI) -> None:
    """Declares the optional Idempotency-Key header on every operation it applies to, so
    generated clients can send it."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = build()
        for path, operations in schema.get("paths", {}).items():
            if path in EXCLUDED_PATHS:
                continue
            for method, operation in operations.items():
                if method.upper() not in METHODS:
                    continue
                parameters = operation.setdefault("parameters", [])
                if any(p.get("name") == "Idempotency-Key" for p in parameters):
                    continue
                parameters.append(
                    {
                        "name": "Idempotency-Key",
                        "in": "header",
                        "required": False,
                        "description": "Any unique string (a UUID): a retry with the same key"
                        " and request gets the first response back and changes nothing again;"
                        " the same key with another request is a 422.",
                        "schema": {
                            "type": "string",
                            "minLength": 1,
                            "maxLength": MAX_KEY_LENGTH,
                            "pattern": "^[!-~]+$",
                        },
                    }
                )
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
