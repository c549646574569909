"""Local fake of SendGrid v3 Mail Send (a real HTTP server: the official client uses urllib).

Vendor surface: `POST /v3/mail/send` with Bearer auth (401 unless the key is one the fakes
were given), SendGrid's validation errors (`{"errors": [{message, field, help}]}`), 403 when
the from address is not a verified Sender Identity (an address, or a whole authenticated
domain: `kairos.local` and the configured senders), 202 + `X-Message-Id`, sandbox mode (200),
413, and 429 with `X-RateLimit-*` headers over the rate limit or when told to fail.

Ours:
* `GET /_mailbox[?to=]` what was accepted, newest last; `DELETE /_mailbox` empties it.
* `POST /_control/sendgrid` `{"fail_next": n, "status": 429|500|503, "delay": seconds,
  "webhook_url": url|null, "auto_events": bool}`: the next n sends wait `delay` seconds and
  answer `status` (a delay without a status just slows successful sends down, for timeouts).
  With a webhook URL the fake posts signed `processed` and `delivered` events after each send
  when `auto_events` is on (the default).
* `GET /_control/sendgrid` its state and the Event Webhook verification key (`public_key`).
* `POST /_control/sendgrid/events` `{"message_id", "event", "fields"?, "deliver"?}` builds a
  signed event batch for that message (e.g. a bounce); delivers it to the webhook URL, or with
  `"deliver": false` returns `{body, headers}` for the caller to post.

Configured by `create_fakes_app(sendgrid_webhook_url=..., sendgrid_signing_key=...)`; the
`kairos fakes` command passes FAKE_SENDGRID_WEBHOOK_URL and FAKE_SENDGRID_SIGNING_KEY, which
the composition root reads (infrastructure/settings.py StandInSettings).
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import threading
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.requests import ClientDisconnect

from stand_ins.access import ACCESS
from stand_ins.persistence import append_lines, load_lines
from stand_ins.sendgrid_validation import error_entry, unverified_sender, validate
from stand_ins.signing import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    generate_signing_key,
    private_key_from_b64,
    private_key_to_b64,
    public_key_b64,
    sign,
)

log = logging.getLogger("kairos.fakes.sendgrid")
router = APIRouter()

MAX_BODY_BYTES = 30 * 1024 * 1024
VERIFIED_DOMAINS = ("kairos.local",)
UNAUTHORIZED = {
    "errors": [
        {
            "message": "The provided authorization grant is invalid, expired, or revoked",
            "field": None,
            "help": None,
        }
    ]
}
STATUS_MESSAGES = {
    400: "invalid request",
    403: "access forbidden",
    429: "too many requests",
    500: "internal server error",
    502: "bad gateway",
    503: "service unavailable",
}


class FakeState:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.mailbox: list[dict[str, Any]] = []
        self.fail_next = 0
        self.fail_status: int | None = None
        self.delay = 0.0
        self.webhook_url: str | None = None
        self.auto_events = True
        self.signing_key = generate_signing_key()
        self.verified_senders: set[str] = set(VERIFIED_DOMAINS)
        self.mailbox_file: Path | None = None

    def configure(
        self,
        webhook_url: str | None,
        signing_key: str | None,
        verified_senders: Iterable[str] = (),
        state_dir: Path | None = None,
    ) -> None:
        """Where to post delivery events, and the key to sign them with (base64 PKCS#8
        DER of a P-256 key; the fresh one stays when None); the sender identities verified
        besides `kairos.local` (addresses or domains); where the mailbox is kept (a JSON
        line per accepted message, so a restart keeps it), None: in memory only."""
        self.webhook_url = webhook_url or None
        if signing_key:
            self.signing_key = private_key_from_b64(signing_key)
        self.verified_senders = {*VERIFIED_DOMAINS, *(s.lower() for s in verified_senders if s)}
        self.mailbox_file = state_dir / "mailbox.jsonl" if state_dir else None
        if self.mailbox_file:
            self.mailbox = load_lines(self.mailbox_file)

    def keep(self, entries: list[dict[str, Any]]) -> None:
        """Adds accepted messages to the mailbox (and its file). Call with the lock held."""
        self.mailbox.extend(entries)
        if self.mailbox_file:
            append_lines(self.mailbox_file, entries)

    def empty(self) -> None:
        self.mailbox.clear()
        if self.mailbox_file:
            self.mailbox_file.unlink(missing_ok=True)

    @property
    def public_key(self) -> str:
        return public_key_b64(self.signing_key)


STATE = FakeState()


def fake_sendgrid_env(webhook_url: str) -> dict[str, str]:
    """What `kairos up` hands the fakes process: a fresh signing key and where to post
    events; `public_key` is for the API's SENDGRID_WEBHOOK_PUBLIC_KEY (not an env var)."""
    key = generate_signing_key()
    return {
        "FAKE_SENDGRID_SIGNING_KEY": private_key_to_b64(key),
        "FAKE_SENDGRID_WEBHOOK_URL": webhook_url,
        "public_key": public_key_b64(key),
    }


def _rate_headers(limit: int, remaining: int, reset_in: float = 60.0) -> dict[str, str]:
    return {
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": str(remaining),
        "X-RateLimit-Reset": str(int(time.time() + reset_in)),
    }


def _message_id() -> str:
    return secrets.token_urlsafe(16)[:22]


def _content(body: dict[str, Any], kind: str) -> str | None:
    for block in body.get("content") or []:
        if block.get("type") == kind:
            return str(block.get("value"))
    return None


def _entries(body: dict[str, Any], message_id: str) -> list[dict[str, Any]]:
    received_at = datetime.now(UTC).isoformat()
    entries = []
    for item in body["personalizations"]:
        custom_args = {**(body.get("custom_args") or {}), **(item.get("custom_args") or {})}
        for recipient in item["to"]:
            entries.append(
                {
                    "to": recipient["email"],
                    "from": body["from"]["email"],
                    "subject": item.get("subject") or body.get("subject"),
                    "text": _content(body, "text/plain"),
                    "html": _content(body, "text/html"),
                    "custom_args": custom_args,
                    "headers": {**(body.get("headers") or {}), **(item.get("headers") or {})},
                    "categories": body.get("categories") or [],
                    "received_at": received_at,
                    "message_id": message_id,
                }
            )
    return entries


def event_batch(
    entries: list[dict[str, Any]], event: str, fields: dict[str, Any] | None = None
) -> tuple[bytes, dict[str, str]]:
    """A signed Event Webhook request (body and headers) describing `event` for the
    given mailbox entries, shaped like SendGrid's (custom args copied to top level)."""
    now = int(time.time())
    payload = []
    for entry in entries:
        item: dict[str, Any] = dict(entry["custom_args"])
        item.update(
            {
                "email": entry["to"],
                "timestamp": now,
                "event": event,
                "sg_event_id": secrets.token_urlsafe(16),
                "sg_message_id": f"{entry['message_id']}.filterdrecv-fake-1-{now}.0",
                "smtp-id": f"<{entry['message_id']}@fake.sendgrid.local>",
            }
        )
        if event == "delivered":
            item["response"] = "250 OK"
        if event == "bounce":
            item.update({"type": "bounce", "reason": "550 unknown recipient", "status": "5.0.0"})
        item.update(fields or {})
        payload.append(item)
    body = (json.dumps(payload, separators=(",", ":")) + "\r\n").encode()
    timestamp = str(now)
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: sign(STATE.signing_key, body, timestamp),
        TIMESTAMP_HEADER: timestamp,
    }
    return body, headers


async def _post_event(url: str, body: bytes, headers: dict[str, str]) -> int:
    try:
        async with httpx.AsyncClient(timeout=10) as client:
            response = await client.post(url, content=body, headers=headers)
            return response.status_code
    except httpx.HTTPError as error:
        log.warning("event webhook post failed: %r", error)
        return 0


async def _auto_events(url: str, entries: list[dict[str, Any]]) -> None:
    for event in ("processed", "delivered"):
        body, headers = event_batch(entries, event)
        await _post_event(url, body, headers)


_background: set[asyncio.Task[None]] = set()


@router.post("/v3/mail/send", include_in_schema=False)
async def mail_send(request: Request) -> Response:
    authorization = request.headers.get("authorization", "")
    key = authorization[7:].strip() if authorization.startswith("Bearer ") else ""
    if not ACCESS.valid("sendgrid", key):
        return JSONResponse(UNAUTHORIZED, status_code=401)
    admission = ACCESS.admit("sendgrid", key)
    if not admission.admitted:
        return JSONResponse(
            {"errors": [{"field": None, "message": STATUS_MESSAGES[429]}]},
            status_code=429,
            headers=_rate_headers(admission.limit, 0, admission.retry_after),
        )
    status: int | None = None
    delay = 0.0
    with STATE.lock:
        if STATE.fail_next > 0:
            STATE.fail_next -= 1
            status, delay = STATE.fail_status, STATE.delay
    try:
        raw = await request.body()
    except ClientDisconnect:  # the client gave up (e.g. a timeout test)
        return Response(status_code=499)
    if delay:
        await asyncio.sleep(delay)
    if status == 401:
        return JSONResponse(UNAUTHORIZED, status_code=401)
    if status:
        body = {"errors": [{"field": None, "message": STATUS_MESSAGES.get(status, "error")}]}
        headers = _rate_headers(admission.limit, 0) if status == 429 else {}
        return JSONResponse(body, status_code=status, headers=headers)
    if len(raw) > MAX_BODY_BYTES:
        return JSONResponse(
            {"errors": [{"field": None, "message": "content too large"}]}, status_code=413
        )
    try:
        body = json.loads(raw)
    except ValueError:
        return JSONResponse({"errors": [error_entry("Bad Request", None)]}, status_code=400)
    errors = validate(body)
    if errors:
        return JSONResponse({"errors": errors}, status_code=400)
    forbidden = unverified_sender(body["from"]["email"], STATE.verified_senders)
    if forbidden:
        return JSONResponse({"errors": [forbidden]}, status_code=403)
    headers = _rate_headers(admission.limit, admission.remaining)
    if ((body.get("mail_settings") or {}).get("sandbox_mode") or {}).get("enable") is True:
        return Response(status_code=200, headers=headers)
    message_id = _message_id()
    entries = _entries(body, message_id)
    with STATE.lock:
        STATE.keep(entries)
        url = STATE.webhook_url if STATE.auto_events else None
    if url:
        task = asyncio.create_task(_auto_events(url, entries))
        _background.add(task)
        task.add_done_callback(_background.discard)
    headers["X-Message-Id"] = message_id
    return Response(status_code=202, headers=headers)


@router.get("/_mailbox", include_in_schema=False)
def mailbox(to: str | None = None) -> list[dict[str, Any]]:
    with STATE.lock:
        entries = list(STATE.mailbox)
    if to:
        entries = [e for e in entries if e["to"].lower() == to.lower()]
    return entries


@router.delete("/_mailbox", include_in_schema=False, status_code=204)
def empty_mailbox() -> Response:
    with STATE.lock:
        STATE.empty()
    return Response(status_code=204)


class Control(BaseModel):
    fail_next: int | None = None
    status: int | None = None
    delay: float | None = None
    webhook_url: str | None = None
    auto_events: bool | None = None


def _state() -> dict[str, Any]:
    return {
        "fail_next": STATE.fail_next,
        "status": STATE.fail_status,
        "delay": STATE.delay,
        "webhook_url": STATE.webhook_url,
        "auto_events": STATE.auto_events,
        "public_key": STATE.public_key,
        "mailbox_size": len(STATE.mailbox),
    }


@router.get("/_control/sendgrid", include_in_schema=False)
def control_state() -> dict[str, Any]:
    with STATE.lock:
        return _state()


@router.post("/_control/sendgrid", include_in_schema=False)
def control(change: Control) -> dict[str, Any]:
    fields = change.model_fields_set
    with STATE.lock:
        if "fail_next" in fields:
            STATE.fail_next = max(0, change.fail_next or 0)
            STATE.delay = change.delay or 0.0
            # A delay alone slows successful sends down; otherwise the sends fail.
            STATE.fail_status = change.status or (None if STATE.delay else 500)
        if "webhook_url" in fields:
            STATE.webhook_url = change.webhook_url
        if "auto_events" in fields:
            STATE.auto_events = bool(change.auto_events)
        return _state()


class EventRequest(BaseModel):
    message_id: str
    event: str = "delivered"
    fields: dict[str, Any] | None = None
    deliver: bool = True


@router.post("/_control/sendgrid/events", include_in_schema=False)
async def emit_events(request: EventRequest) -> JSONResponse:
    with STATE.lock:
        entries = [e for e in STATE.mailbox if e["message_id"] == request.message_id]
        url = STATE.webhook_url
    if not entries:
        return JSONResponse({"detail": "no such message"}, status_code=404)
    body, headers = event_batch(entries, request.event, request.fields)
    if not request.deliver:
        return JSONResponse({"body": body.decode(), "headers": headers})
    if not url:
        return JSONResponse({"detail": "no webhook_url configured"}, status_code=409)
    status = await _post_event(url, body, headers)
    return JSONResponse({"delivered": len(entries), "webhook_status": status})
