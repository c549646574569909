"""POST /webhooks/sendgrid: signed Event Webhook batches from the fake reach the ESM context."""

from __future__ import annotations

import dataclasses
import json
import secrets
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sendgrid.helpers.eventwebhook import EventWebhook

from domain.esm.delivery import DeliveryOutcome
from infrastructure.adapters.sendgrid import SendGridMailer
from infrastructure.bootstrap import Container
from interfaces.http.app import create_app
from stand_ins.signing import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    generate_signing_key,
    public_key_b64,
    sign,
)
from tests.support.esm import FakeClock, controlled, send_one
from tests.support.mailer import RecordingDeliveries, RecordingMailer


@pytest.fixture(scope="module")
def fake_public_key(fakes_url: str) -> str:
    return str(httpx.get(f"{fakes_url}/_control/sendgrid").json()["public_key"])


@pytest.fixture
def esm() -> RecordingDeliveries:
    return RecordingDeliveries()


@pytest.fixture
def webhook_client(
    container: Container, fake_public_key: str, esm: RecordingDeliveries
) -> Iterator[TestClient]:
    settings = container.settings.model_copy(
        update={"sendgrid_webhook_public_key": fake_public_key}
    )
    wired = dataclasses.replace(container, settings=settings, esm=esm)  # type: ignore[arg-type]
    with TestClient(create_app(wired)) as client:
        yield client


def _sent_message(fakes_url: str, prompt_id: str) -> str:
    mailer = SendGridMailer("SG.test", fakes_url, "no-reply@kairos.local")
    return mailer.send(
        to=f"p-{secrets.token_hex(6)}@example.com",
        subject="s",
        text="t",
        html="<p>h</p>",
        custom_args={"prompt_id": prompt_id},
    )


def _signed_batch(fakes: httpx.Client, message_id: str, event: str) -> tuple[bytes, dict[str, str]]:
    answer = fakes.post(
        "/_control/sendgrid/events",
        json={"message_id": message_id, "event": event, "deliver": False},
    ).json()
    return answer["body"].encode(), answer["headers"]


def test_signed_delivery_event_from_the_fake_is_recorded_on_the_prompt(
    webhook_client: TestClient, fakes: httpx.Client, fakes_url: str, esm: RecordingDeliveries
) -> None:
    prompt_id = str(uuid.uuid4())
    message_id = _sent_message(fakes_url, prompt_id)
    body, headers = _signed_batch(fakes, message_id, "delivered")

    response = webhook_client.post("/webhooks/sendgrid", content=body, headers=headers)

    assert response.status_code == 200, response.text
    assert response.json() == {"received": 1, "recorded": 1}
    [(recorded_prompt, event, occurred_at, recorded_message)] = esm.calls
    assert (str(recorded_prompt), event, recorded_message) == (prompt_id, "delivered", message_id)
    assert occurred_at.tzinfo is not None
    assert event is DeliveryOutcome.DELIVERED and esm.reported == ["delivered"]


def test_official_sendgrid_helper_accepts_the_fakes_signature(
    fakes: httpx.Client, fakes_url: str, fake_public_key: str
) -> None:
    message_id = _sent_message(fakes_url, str(uuid.uuid4()))
    body, headers = _signed_batch(fakes, message_id, "bounce")
    verifier = EventWebhook(fake_public_key)
    assert verifier.verify_signature(
        body.decode(), headers[SIGNATURE_HEADER], headers[TIMESTAMP_HEADER]
    )
    assert json.loads(body)[0]["type"] == "bounce"


def test_tampered_batch_is_refused_with_403(
    webhook_client: TestClient, fakes: httpx.Client, fakes_url: str, esm: RecordingDeliveries
) -> None:
    message_id = _sent_message(fakes_url, str(uuid.uuid4()))
    body, headers = _signed_batch(fakes, message_id, "delivered")
    tampered = body.replace(b'"delivered"', b'"bounce"')

    response = webhook_client.post("/webhooks/sendgrid", content=tampered, headers=headers)

    assert response.status_code == 403
    assert "signature" in response.json()["detail"]
    assert esm.calls == []


def test_unsigned_batch_is_refused_with_403_when_a_key_is_configured(
    webhook_client: TestClient,
) -> None:
    batch = [{"event": "delivered", "prompt_id": str(uuid.uuid4()), "timestamp": 1}]
    response = webhook_client.post("/webhooks/sendgrid", json=batch)
    assert response.status_code == 403


def test_batch_signed_with_another_key_is_refused_with_403(webhook_client: TestClient) -> None:
    stranger = generate_signing_key()
    body = json.dumps([{"event": "open", "prompt_id": str(uuid.uuid4()), "timestamp": 1}])
    headers = {
        SIGNATURE_HEADER: sign(stranger, body.encode(), "1700000000"),
        TIMESTAMP_HEADER: "1700000000",
    }
    response = webhook_client.post("/webhooks/sendgrid", content=body, headers=headers)
    assert response.status_code == 403
    assert (
        public_key_b64(stranger)
        != webhook_client.app.state.container.settings.sendgrid_webhook_public_key
    )  # type: ignore[attr-defined]


def test_malformed_batch_is_refused_with_422(
    container: Container, esm: RecordingDeliveries
) -> None:
    wired = dataclasses.replace(container, esm=esm)  # type: ignore[arg-type]
    with TestClient(create_app(wired)) as client:
        response = client.post("/webhooks/sendgrid", content=b'{"not": "a list"}')
    assert response.status_code == 422
    assert "detail" in response.json()


def test_events_without_our_prompt_id_are_ignored(
    container: Container, esm: RecordingDeliveries
) -> None:
    wired = dataclasses.replace(container, esm=esm)  # type: ignore[arg-type]
    batch = [
        {"event": "delivered", "email": "x@example.com", "timestamp": 1513299569},
        {"event": "open", "prompt_id": "not-a-uuid", "timestamp": 1513299569},
    ]
    with TestClient(create_app(wired)) as client:
        response = client.post("/webhooks/sendgrid", json=batch)
    assert response.status_code == 200
    assert response.json()["recorded"] == 0 and esm.calls == []


def test_event_for_an_unknown_prompt_is_acknowledged_and_skipped(client: TestClient) -> None:
    batch = [{"event": "delivered", "prompt_id": str(uuid.uuid4()), "timestamp": 1513299569}]
    response = client.post("/webhooks/sendgrid", json=batch)
    assert response.status_code == 200  # a 4xx/5xx would make SendGrid retry for a day
    assert response.json() == {"received": 1, "recorded": 0}


class ThroughTheFake(RecordingMailer):
    """Sends through the real adapter to the SendGrid fake, and keeps a record for the
    ESM helpers (which read the link from what was sent)."""

    def __init__(self, fakes_url: str) -> None:
        super().__init__()
        self.real = SendGridMailer("SG.test", fakes_url, "no-reply@kairos.local")
        self.message_ids: list[str] = []

    def send(self, **kwargs: Any) -> str:
        self.message_ids.append(self.real.send(**kwargs))
        super().send(**kwargs)
        return self.message_ids[-1]


def test_a_real_prompt_email_is_marked_delivered_by_the_signed_webhook(
    container: Container, fakes: httpx.Client, fakes_url: str, fake_public_key: str
) -> None:
    clock = FakeClock(datetime(2026, 6, 10, 5, 0, tzinfo=UTC))
    mailer = ThroughTheFake(fakes_url)
    with controlled(container, clock, mailer):
        sent = send_one(container, clock, mailer)
        [entry] = fakes.get("/_mailbox", params={"to": sent.email}).json()
        assert entry["custom_args"]["prompt_id"] == str(sent.prompt_id)
        body, headers = _signed_batch(fakes, mailer.message_ids[-1], "delivered")
        settings = container.settings.model_copy(
            update={"sendgrid_webhook_public_key": fake_public_key}
        )
        wired = dataclasses.replace(container, settings=settings)
        with TestClient(create_app(wired)) as client:
            response = client.post("/webhooks/sendgrid", content=body, headers=headers)
            again = client.post("/webhooks/sendgrid", content=body, headers=headers)
    assert response.json() == {"received": 1, "recorded": 1}
    assert again.status_code == 200  # SendGrid redelivers; recording is idempotent
    kinds = [type(e).__name__ for e in container.esm.events.get(sent.prompt_id)]
    assert kinds.count("DeliveryRecorded") == 1


def test_a_malformed_configured_key_refuses_posts_and_says_why(
    container: Container, esm: RecordingDeliveries, caplog: pytest.LogCaptureFixture
) -> None:
    settings = container.settings.model_copy(update={"sendgrid_webhook_public_key": "nope"})
    wired = dataclasses.replace(container, settings=settings, esm=esm)  # type: ignore[arg-type]
    headers = {SIGNATURE_HEADER: "c2ln", TIMESTAMP_HEADER: "1700000000"}
    with TestClient(create_app(wired)) as client:
        response = client.post("/webhooks/sendgrid", content=b"[]", headers=headers)
    assert response.status_code == 403
    assert "SENDGRID_WEBHOOK_PUBLIC_KEY" in caplog.text
