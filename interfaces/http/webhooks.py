"""Provider callbacks: SendGrid's Event Webhook (delivery, bounce, open, ... per email)."""

from __future__ import annotations

import logging
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
router = APIRouter(prefix="/webhooks", tags=["webhooks"])


class WebhookReceipt(BaseModel):
    received: int
    """Events in the batch that carry a prompt_id."""
    recorded: int
    """Of those, how many the ESM context accepted (unknown prompts are skipped)."""


@router.post(
    "/sendgrid",
    response_model=WebhookReceipt,
    responses={
        403: {"description": "Missing or invalid Event Webhook signature"},
        409: {"description": "A concurrent update; SendGrid retries the batch"},
        413: {"description": "Request body too large"},
        422: {"description": "Not an Event Webhook batch (a JSON array of objects)"},
    },
)
async def sendgrid_events(request: Request, container: ContainerDep) -> WebhookReceipt:
    """SendGrid's signed Event Webhook. When `SENDGRID_WEBHOOK_PUBLIC_KEY` is set, the
    ECDSA signature over timestamp + raw body must verify, else 403."""
    payload = await request.body()
    return await run_in_threadpool(_receive, container, payload, dict(request.headers))


def _receive(container: Container, payload: bytes, headers: dict[str, str]) -> WebhookReceipt:
    public_key = container.settings.sendgrid_webhook_public_key
    if public_key:
        signature = headers.get(SIGNATURE_HEADER.lower(), "")
        timestamp = headers.get(TIMESTAMP_HEADER.lower(), "")
        if not signature or not timestamp:
            raise Forbidden("missing Event Webhook signature")
        if not verify_signature(public_key, payload, signature, timestamp):
            if not _usable_key(public_key):
                log.error("SENDGRID_WEBHOOK_PUBLIC_KEY is not an EC public key: every post fails")
            raise Forbidden("invalid Event Webhook signature")
    try:
        events = parse_events(payload)
    except ValueError as error:
        raise InvalidInput(f"not an Event Webhook batch: {error}") from None
    record = getattr(container.esm, "record_email_delivery", None)
    recorded = 0
    for event in events:
        try:
            prompt_id = UUID(event.prompt_id)
        except ValueError:
            continue
        if record is None:
            continue
        try:
            record(prompt_id, event.event, event.occurred_at, event.message_id)
            recorded += 1
        except ConcurrencyError:
            raise  # 409: SendGrid retries the batch; recording is idempotent
        except DomainError as error:
            log.info("skipped %s event for prompt %s: %s", event.event, prompt_id, error)
    return WebhookReceipt(received=len(events), recorded=recorded)


def _usable_key(public_key: str) -> bool:
    try:
        load_public_key(public_key)
    except (ValueError, TypeError):
        return False
    return True
