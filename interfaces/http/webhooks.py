"""Provider callbacks: SendGrid's Event Webhook (delivery, bounce, open, ... per email)."""

from __future__ import annotations

import logging
import time
from urllib.parse import urlsplit
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from domain.shared.errors import ConcurrencyError, DomainError, Forbidden, InvalidInput
from infrastructure.adapters.sendgrid_webhook import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    load_public_key,
    parse_events,
    verify_signature,
)
from infrastructure.bootstrap import Container
from interfaces.http.deps import ContainerDep

log = logging.getLogger("kairos.webhooks")
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
router = APIRouter(prefix="/webhooks", tags=["webhooks"])


class WebhookReceipt(BaseModel):
    received: int
    """Events in the batch that carry a prompt_id."""
    recorded: int
    """Of those, how many the ESM context accepted (unknown prompts are skipped)."""
    duplicates: int | None = None
    """Events whose sg_event_id was already processed (redeliveries), skipped; absent
    when none."""


@router.post(
    "/sendgrid",
    response_model=WebhookReceipt,
    response_model_exclude_none=True,
    responses={
        403: {"description": "Missing or invalid Event Webhook signature"},
        409: {"description": "A concurrent update; SendGrid retries the batch"},
        413: {"description": "Request body too large"},
        422: {"description": "Not an Event Webhook batch (a JSON array of objects)"},
    },
)
async def sendgrid_events(request: Request, container: ContainerDep) -> WebhookReceipt:
    """SendGrid's signed Event Webhook. When `SENDGRID_WEBHOOK_PUBLIC_KEY` is set, the
    ECDSA signature over timestamp + raw body must verify and be at most an hour old, else
    403; without it, posts are refused (403) unless mail goes to the local fake. Events are
    processed once per `sg_event_id`."""
    payload = await request.body()
    return await run_in_threadpool(_receive, container, payload, dict(request.headers))


MAX_SIGNATURE_AGE_SECONDS = 3600
"""A signed batch older than this is refused: a captured batch cannot be replayed forever
(within the hour, sg_event_id deduplication makes a replay change nothing)."""
MAX_CLOCK_SKEW_SECONDS = 300


def _check_signature(container: Container, payload: bytes, headers: dict[str, str]) -> None:
    settings = container.settings
    public_key = settings.sendgrid_webhook_public_key
    if not public_key:
        host = urlsplit(settings.sendgrid_host).hostname or ""
        if settings.sendgrid_api_key and host not in LOCAL_HOSTS:
            log.error("SENDGRID_WEBHOOK_PUBLIC_KEY is not set: unsigned Event Webhook refused")
            raise Forbidden(
                "the Event Webhook is not configured: set SENDGRID_WEBHOOK_PUBLIC_KEY (unsigned"
                " posts are accepted only with the local SendGrid fake)"
            )
        return
    signature = headers.get(SIGNATURE_HEADER.lower(), "")
    timestamp = headers.get(TIMESTAMP_HEADER.lower(), "")
    if not signature or not timestamp:
        raise Forbidden("missing Event Webhook signature")
    if not verify_signature(public_key, payload, signature, timestamp):
        if not _usable_key(public_key):
            log.error("SENDGRID_WEBHOOK_PUBLIC_KEY is not an EC public key: every post fails")
        raise Forbidden("invalid Event Webhook signature")
    age = time.time() - int(timestamp) if timestamp.isdigit() else MAX_SIGNATURE_AGE_SECONDS + 1
    if age > MAX_SIGNATURE_AGE_SECONDS or age < -MAX_CLOCK_SKEW_SECONDS:
        raise Forbidden("the Event Webhook signature is too old (or from the future): replay")


def _first_time(container: Container, event_id: str | None) -> bool:
    """Whether this sg_event_id was never recorded (SendGrid retries, duplicates and
    re-batches deliveries); events without an id are always processed."""
    if not event_id:
        return True
    row = container.database.fetch_one(
        "SELECT 1 AS seen FROM app.webhook_events WHERE provider = 'sendgrid' AND event_id = %s",
        (event_id[:200],),
    )
    return row is None


def _seen(container: Container, event_id: str | None) -> None:
    if event_id:
        container.database.execute(
            "INSERT INTO app.webhook_events (provider, event_id) VALUES ('sendgrid', %s)"
            " ON CONFLICT DO NOTHING",
            (event_id[:200],),
        )


def _receive(container: Container, payload: bytes, headers: dict[str, str]) -> WebhookReceipt:
    _check_signature(container, payload, headers)
    try:
        events = parse_events(payload)
    except ValueError as error:
        raise InvalidInput(f"not an Event Webhook batch: {error}") from None
    record = getattr(container.esm, "record_email_delivery", None)
    recorded = duplicates = 0
    for event in events:
        try:
            prompt_id = UUID(event.prompt_id)
        except ValueError:
            continue
        if record is None:
            continue
        if not _first_time(container, event.sg_event_id):
            duplicates += 1
            continue
        try:
            record(prompt_id, event.outcome, event.occurred_at, event.message_id, event.event)
            recorded += 1
        except ConcurrencyError:
            raise  # 409: SendGrid retries the batch; recording is idempotent
        except DomainError as error:
            log.info("skipped %s event for prompt %s: %s", event.event, prompt_id, error)
        _seen(container, event.sg_event_id)
    return WebhookReceipt(received=len(events), recorded=recorded, duplicates=duplicates or None)


def _usable_key(public_key: str) -> bool:
    try:
        load_public_key(public_key)
    except (ValueError, TypeError):
        return False
    return True
