"""SendGrid's signed Event Webhook: ECDSA P-256 / SHA-256 over `timestamp + raw body`.

The verification key is what SendGrid's dashboard shows: base64 of the DER
SubjectPublicKeyInfo (a PEM block is accepted too). Signing is the vendor's side: the local
stand-in does it (stand_ins/signing.py).
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from domain.esm.delivery import DeliveryOutcome

SIGNATURE_HEADER = "X-Twilio-Email-Event-Webhook-Signature"
TIMESTAMP_HEADER = "X-Twilio-Email-Event-Webhook-Timestamp"


def load_public_key(value: str) -> ec.EllipticCurvePublicKey:
    text = value.strip()
    if "BEGIN PUBLIC KEY" in text:
        key = serialization.load_pem_public_key(text.encode())
    else:
        key = serialization.load_der_public_key(base64.b64decode(text))
    if not isinstance(key, ec.EllipticCurvePublicKey):
        raise ValueError("the Event Webhook verification key must be an EC public key")
    return key


def verify_signature(public_key: str, payload: bytes, signature: str, timestamp: str) -> bool:
    """True when `signature` (base64 DER ECDSA) signs `timestamp + payload` exactly as
    received. Any malformed input is simply not a valid signature."""
    try:
        key = load_public_key(public_key)
        key.verify(
            base64.b64decode(signature, validate=True),
            timestamp.encode() + payload,
            ec.ECDSA(hashes.SHA256()),
        )
    except (InvalidSignature, ValueError, binascii.Error, TypeError):
        return False
    return True


OUTCOMES: dict[str, DeliveryOutcome] = {
    "processed": DeliveryOutcome.ACCEPTED,
    "deferred": DeliveryOutcome.DEFERRED,
    "delivered": DeliveryOutcome.DELIVERED,
    "bounce": DeliveryOutcome.BOUNCED,
    "blocked": DeliveryOutcome.BLOCKED,
    "dropped": DeliveryOutcome.DROPPED,
    "open": DeliveryOutcome.OPENED,
    "click": DeliveryOutcome.CLICKED,
    "spamreport": DeliveryOutcome.COMPLAINED,
    "unsubscribe": DeliveryOutcome.UNSUBSCRIBED,
    "group_unsubscribe": DeliveryOutcome.UNSUBSCRIBED,
}
"""SendGrid's Event Webhook `event` names, in ESMpress's words (any other: OTHER)."""


def outcome_of(event: str, bounce_type: object = None) -> DeliveryOutcome:
    """A `bounce` event whose `type` is `blocked` is a block (the receiving server refused
    the sender, not the address)."""
    if event == "bounce" and bounce_type == "blocked":
        return DeliveryOutcome.BLOCKED
    return OUTCOMES.get(event, DeliveryOutcome.OTHER)


@dataclass(frozen=True)
class DeliveryEvent:
    prompt_id: str
    event: str
    """SendGrid's own name for it, passed on for people reading journeys."""
    outcome: DeliveryOutcome
    occurred_at: datetime
    message_id: str | None
    sg_event_id: str | None


def parse_events(payload: bytes) -> list[DeliveryEvent]:
    """The events that carry our `prompt_id` custom arg (SendGrid copies custom args to
    top-level keys). Others (mail we did not tag) are ignored. Raises ValueError when the
    body is not a JSON array of objects."""
    data: Any = json.loads(payload)
    if not isinstance(data, list):
        raise ValueError("the Event Webhook body must be a JSON array")
    events: list[DeliveryEvent] = []
    for item in data:
        if not isinstance(item, dict):
            raise ValueError("every Event Webhook entry must be an object")
        prompt_id = item.get("prompt_id")
        kind = item.get("event")
        if not prompt_id or not isinstance(kind, str):
            continue
        try:
            occurred_at = datetime.fromtimestamp(int(item.get("timestamp", 0)), UTC)
        except (TypeError, ValueError, OverflowError):
            raise ValueError("timestamp must be a unix time in seconds") from None
        sg_message_id = item.get("sg_message_id")
        message_id = str(sg_message_id).split(".", 1)[0] if sg_message_id else None
        events.append(
            DeliveryEvent(
                prompt_id=str(prompt_id),
                event=kind,
                outcome=outcome_of(kind, item.get("type")),
                occurred_at=occurred_at,
                message_id=message_id,
                sg_event_id=item.get("sg_event_id"),
            )
        )
    return events
