"""SendGrid's Event Webhook against the vendor's real delivery contract (hostile trial):
deliveries are retried, duplicated and re-batched, a captured signed batch replayed forever,
and unsigned posts were accepted when no verification key was configured."""

from __future__ import annotations

import dataclasses
import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from domain.esm.delivery import DeliveryOutcome
from infrastructure.bootstrap import Container
from interfaces.http.app import create_app
from stand_ins.signing import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    generate_signing_key,
    public_key_b64,
    sign,
)
from tests.support.mailer import RecordingDeliveries

KEY = generate_signing_key()


def _client(container: Container, esm: RecordingDeliveries, **settings: Any) -> TestClient:
    wired = dataclasses.replace(
        container,
        settings=container.settings.model_copy(update=settings),
        esm=esm,  # type: ignore[arg-type]
    )
    return TestClient(create_app(wired))


@pytest.fixture
def signed(container: Container) -> Iterator[tuple[TestClient, RecordingDeliveries]]:
    esm = RecordingDeliveries()
    with _client(container, esm, sendgrid_webhook_public_key=public_key_b64(KEY)) as client:
        yield client, esm


def _post(client: TestClient, events: list[dict[str, Any]], at: float | None = None) -> Any:
    body = (json.dumps(events, separators=(",", ":")) + "\r\n").encode()
    timestamp = str(int(at if at is not None else time.time()))
    headers = {SIGNATURE_HEADER: sign(KEY, body, timestamp), TIMESTAMP_HEADER: timestamp}
    return client.post("/webhooks/sendgrid", content=body, headers=headers)


def _event(prompt_id: str, kind: str = "delivered") -> dict[str, Any]:
    return {
        "email": "p@example.com",
        "timestamp": int(time.time()),
        "event": kind,
        "sg_event_id": uuid.uuid4().hex,
        "sg_message_id": f"msg{uuid.uuid4().hex[:8]}.filter",
        "prompt_id": prompt_id,
    }


def test_a_redelivered_event_is_processed_once_by_its_sg_event_id(
    signed: tuple[TestClient, RecordingDeliveries],
) -> None:
    client, esm = signed
    first, second = _event(str(uuid.uuid4())), _event(str(uuid.uuid4()), "open")
    assert _post(client, [first]).json() == {"received": 1, "recorded": 1}
    again = _post(client, [second, first])  # retried and re-batched with another event
    assert again.json() == {"received": 2, "recorded": 1, "duplicates": 1}
    assert esm.reported == ["delivered", "open"]
    assert [call[1] for call in esm.calls] == [DeliveryOutcome.DELIVERED, DeliveryOutcome.OPENED]


def test_a_captured_signed_batch_cannot_be_replayed_after_an_hour(
    signed: tuple[TestClient, RecordingDeliveries],
) -> None:
    client, esm = signed
    old = _post(client, [_event(str(uuid.uuid4()))], at=time.time() - 3700)
    assert old.status_code == 403 and "too old" in old.json()["detail"]
    future = _post(client, [_event(str(uuid.uuid4()))], at=time.time() + 3600)
    assert future.status_code == 403
    assert esm.calls == []


def test_unsigned_posts_are_refused_without_a_key_when_mail_goes_to_real_sendgrid(
    container: Container,
) -> None:
    esm = RecordingDeliveries()
    batch = [_event(str(uuid.uuid4()))]
    production = {"sendgrid_api_key": "SG.real", "sendgrid_host": "https://api.sendgrid.com"}
    with _client(container, esm, sendgrid_webhook_public_key=None, **production) as client:
        refused = client.post("/webhooks/sendgrid", json=batch)
    assert refused.status_code == 403 and "SENDGRID_WEBHOOK_PUBLIC_KEY" in refused.json()["detail"]
    local = {"sendgrid_api_key": "SG.local-fake", "sendgrid_host": "http://127.0.0.1:8025"}
    with _client(container, esm, sendgrid_webhook_public_key=None, **local) as client:
        assert client.post("/webhooks/sendgrid", json=batch).status_code == 200
    assert len(esm.calls) == 1
