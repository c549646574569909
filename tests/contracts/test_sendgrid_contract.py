"""SendGrid: the Mail Send requests the adapter makes through the official client, and the
fake's answers, against SendGrid's OpenAPI file; the Event Webhook against the official
signed test vector (verified by our verifier and by SendGrid's own helper)."""

from __future__ import annotations

import json
import secrets

import httpx
import pytest
from sendgrid.helpers.eventwebhook import EventWebhook

from application.shared.ports import MailDeliveryError
from infrastructure.adapters.sendgrid import SendGridMailer
from infrastructure.adapters.sendgrid_webhook import parse_events, verify_signature
from tests.contracts import specs
from tests.contracts.conftest import Wire

VECTOR = specs.document("sendgrid-eventwebhook-vector.json")


def _send(mailer: SendGridMailer, **custom: str) -> str:
    return mailer.send(
        to=f"p-{secrets.token_hex(6)}@example.com",
        subject="How are you feeling right now?",
        text="Answer here: http://x/s/abc",
        html="<p>Answer <a href='http://x/s/abc'>here</a></p>",
        custom_args=custom or {"prompt_id": "p-1"},
        headers={"List-Unsubscribe": "<http://x/s/abc/stop>"},
    )


def test_the_adapters_mail_send_and_the_fakes_202_keep_sendgrids_contract(wire: Wire) -> None:
    _send(
        SendGridMailer("SG.test", wire.url, "no-reply@kairos.local"), prompt_id="a", campaign_id="c"
    )
    (sent,) = wire.checked()
    assert sent.status == 202
    assert sent.json()["custom_args"] == {"prompt_id": "a", "campaign_id": "c"}


def test_a_wrong_sendgrid_key_is_a_401_in_sendgrids_shape(wire: Wire) -> None:
    with pytest.raises(MailDeliveryError, match="401"):
        _send(SendGridMailer("SG.not-a-key", wire.url, "no-reply@kairos.local"))
    (refused,) = wire.checked()
    assert refused.status == 401


def test_an_unverified_sender_is_a_403(wire: Wire) -> None:
    with pytest.raises(MailDeliveryError, match="403"):
        _send(SendGridMailer("SG.test", wire.url, "someone@unverified.example"))
    (refused,) = wire.checked()
    assert refused.status == 403
    assert refused.response_json()["errors"][0]["field"] == "from"


def test_the_fakes_validation_errors_keep_sendgrids_shape(wire: Wire) -> None:
    auth = {"Authorization": "Bearer SG.test"}
    for body in (
        {
            "personalizations": [{"to": [{"email": "x@example.com"}]}],
            "from": {"email": "no-reply@kairos.local"},
        },
        {
            "personalizations": [{"to": [{"email": "x@example.com"}]}],
            "from": {"email": "no-reply@kairos.local"},
            "subject": "s",
            "content": [
                {"type": "text/html", "value": "<p>x</p>"},
                {"type": "text/plain", "value": "x"},
            ],
        },
    ):
        assert httpx.post(f"{wire.url}/v3/mail/send", headers=auth, json=body).status_code == 400
    exchanges = wire.recorder.take()
    from tests.contracts.checker import sendgrid

    # The requests break the contract on purpose; the answers must not.
    assert all(not [p for p in sendgrid(x) if "request" not in p] for x in exchanges)


def test_our_verifier_and_sendgrids_helper_accept_the_official_vector() -> None:
    payload = VECTOR["payload"]
    assert payload.endswith("\r\n")
    assert verify_signature(
        VECTOR["public_key"], payload.encode(), VECTOR["signature"], VECTOR["timestamp"]
    )
    assert EventWebhook(VECTOR["public_key"]).verify_signature(
        payload, VECTOR["signature"], VECTOR["timestamp"]
    )
    # It carries none of our custom args (mail we did not tag): parsed, then ignored.
    assert parse_events(payload.encode()) == []


def test_our_verifier_refuses_the_vectors_bad_signature_and_a_changed_timestamp() -> None:
    payload = VECTOR["payload"].encode()
    key, timestamp = VECTOR["public_key"], VECTOR["timestamp"]
    assert not verify_signature(key, payload, VECTOR["bad_signature"], timestamp)
    assert not verify_signature(key, payload, VECTOR["signature"], str(int(timestamp) + 1))
    assert not verify_signature(key, payload.rstrip(b"\r\n"), VECTOR["signature"], timestamp)


def test_the_fakes_event_batches_look_like_the_official_vector(wire: Wire) -> None:
    message_id = _send(SendGridMailer("SG.test", wire.url, "no-reply@kairos.local"))
    wire.recorder.take()
    batch = wire.control.post(
        "/_control/sendgrid/events",
        json={"message_id": message_id, "event": "dropped", "deliver": False},
    ).json()
    public_key = wire.control.get("/_control/sendgrid").json()["public_key"]
    headers = batch["headers"]
    assert EventWebhook(public_key).verify_signature(
        batch["body"], headers[VECTOR["signature_header"]], headers[VECTOR["timestamp_header"]]
    )
    assert batch["body"].endswith("\r\n")
    (theirs,) = json.loads(VECTOR["payload"])
    (ours,) = json.loads(batch["body"])
    missing = {k for k in theirs if k != "reason"} - set(ours)
    assert not missing, missing
    assert {k: type(v) for k, v in ours.items() if k in theirs} == {
        k: type(v) for k, v in theirs.items() if k in ours
    }
    assert ours["sg_message_id"].startswith(message_id + ".")


BASE = {
    "personalizations": [{"to": [{"email": "a@example.com"}]}],
    "from": {"email": "no-reply@kairos.local"},
    "subject": "s",
    "content": [{"type": "text/plain", "value": "x"}],
}
ONE = {"to": [{"email": "a@example.com"}]}


@pytest.mark.parametrize(
    "change",
    [
        {"mail_settings": [1]},
        {"mail_settings": {"sandbox_mode": 5}},
        {"custom_args": [1]},
        {"custom_args": {"a": 1}},
        {"headers": [1]},
        {"categories": "x"},
        {"subject": 5},
        {"template_id": 5},
        {"personalizations": [5]},
        {"personalizations": [{**ONE, "custom_args": [1]}]},
        {"personalizations": [{**ONE, "headers": "x"}]},
        {"personalizations": [{**ONE, "subject": 5}]},
    ],
)
def test_a_malformed_mail_send_is_a_400_never_a_500(wire: Wire, change: dict) -> None:  # type: ignore[type-arg]
    """Found by trying shapes the spec forbids: the fake answered 500 to each of these."""
    answer = httpx.post(
        f"{wire.url}/v3/mail/send",
        headers={"Authorization": "Bearer SG.test"},
        json={**BASE, **change},
    )
    assert answer.status_code == 400, answer.text
    from tests.contracts.checker import sendgrid

    (x,) = wire.recorder.take()
    assert not [p for p in sendgrid(x) if "request" not in p]
