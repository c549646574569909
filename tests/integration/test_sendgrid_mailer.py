"""The SendGrid adapter against the local fake over real HTTP (the client speaks urllib)."""

from __future__ import annotations

import logging
import secrets

import httpx
import pytest

from application.shared.ports import MailDeliveryError, MailTemporarilyUnavailable
from infrastructure.adapters.sendgrid import SendGridMailer
from infrastructure.embedded import free_port


def _recipient() -> str:
    return f"p-{secrets.token_hex(6)}@example.com"


def _send(mailer: SendGridMailer, to: str, **custom: str) -> str:
    return mailer.send(
        to=to,
        subject="How are you feeling right now?",
        text="Answer here: http://x/s/abc",
        html="<p>Answer <a href='http://x/s/abc'>here</a></p>",
        custom_args=custom or {"prompt_id": "p-1"},
    )


@pytest.fixture
def mailer(fakes_url: str) -> SendGridMailer:
    return SendGridMailer("SG.test", fakes_url, "no-reply@kairos.local", timeout=2.0)


def test_accepted_mail_lands_in_the_mailbox_with_both_parts_and_custom_args(
    mailer: SendGridMailer, fakes: httpx.Client
) -> None:
    to = _recipient()
    message_id = _send(mailer, to, prompt_id="abc", campaign_id="c1")

    [entry] = fakes.get("/_mailbox", params={"to": to}).json()
    assert entry["message_id"] == message_id and len(message_id) == 22
    assert entry["subject"] == "How are you feeling right now?"
    assert entry["text"].startswith("Answer here") and entry["html"].startswith("<p>")
    assert entry["custom_args"] == {"prompt_id": "abc", "campaign_id": "c1"}
    assert entry["received_at"]


def test_refused_credentials_are_a_permanent_delivery_error(
    mailer: SendGridMailer, fakes: httpx.Client, fakes_url: str
) -> None:
    fakes.post("/_control/sendgrid", json={"fail_next": 1, "status": 401})
    with pytest.raises(MailDeliveryError, match="401"):
        _send(mailer, _recipient())
    with pytest.raises(MailDeliveryError, match="SENDGRID_API_KEY"):
        _send(SendGridMailer("", fakes_url, "no-reply@kairos.local"), _recipient())


def test_invalid_recipient_is_a_permanent_delivery_error(mailer: SendGridMailer) -> None:
    with pytest.raises(MailDeliveryError, match="400"):
        _send(mailer, "someone@nowhere")  # refused by the provider
    with pytest.raises(MailDeliveryError, match="invalid message"):
        _send(mailer, "not-an-address")  # refused before sending


@pytest.mark.parametrize("status", [429, 500, 503])
def test_rate_limits_and_server_errors_are_temporary(
    mailer: SendGridMailer, fakes: httpx.Client, status: int
) -> None:
    fakes.post("/_control/sendgrid", json={"fail_next": 1, "status": status})
    with pytest.raises(MailTemporarilyUnavailable, match=str(status)):
        _send(mailer, _recipient())
    to = _recipient()
    _send(mailer, to)  # the failure was for the next send only
    assert len(fakes.get("/_mailbox", params={"to": to}).json()) == 1


def test_timeout_is_temporary(fakes_url: str, fakes: httpx.Client) -> None:
    impatient = SendGridMailer("SG.test", fakes_url, "no-reply@kairos.local", timeout=0.2)
    fakes.post("/_control/sendgrid", json={"fail_next": 1, "delay": 1.0})
    with pytest.raises(MailTemporarilyUnavailable):
        _send(impatient, _recipient())


def test_unreachable_provider_is_temporary() -> None:
    nobody = SendGridMailer("SG.test", f"http://127.0.0.1:{free_port()}", "a@kairos.local")
    with pytest.raises(MailTemporarilyUnavailable, match="unreachable"):
        _send(nobody, _recipient())


def test_recipient_address_is_never_logged(
    mailer: SendGridMailer, fakes: httpx.Client, caplog: pytest.LogCaptureFixture
) -> None:
    to = _recipient()
    caplog.set_level(logging.DEBUG)
    _send(mailer, to)
    fakes.post("/_control/sendgrid", json={"fail_next": 1, "status": 503})
    with pytest.raises(MailTemporarilyUnavailable):
        _send(mailer, to)
    assert caplog.records and to not in caplog.text


def test_fake_answers_429_with_rate_limit_headers(fakes: httpx.Client) -> None:
    fakes.post("/_control/sendgrid", json={"fail_next": 1, "status": 429})
    response = fakes.post(
        "/v3/mail/send", headers={"Authorization": "Bearer SG.x"}, json={"anything": 1}
    )
    assert response.status_code == 429
    assert response.headers["X-RateLimit-Remaining"] == "0"
    assert int(response.headers["X-RateLimit-Reset"]) > 0
    assert response.json() == {"errors": [{"field": None, "message": "too many requests"}]}


def test_fake_requires_a_bearer_token(fakes: httpx.Client) -> None:
    response = fakes.post("/v3/mail/send", json={})
    assert response.status_code == 401
    [error] = response.json()["errors"]
    assert set(error) == {"message", "field", "help"}


def test_fake_reports_every_validation_error_in_sendgrid_shape(fakes: httpx.Client) -> None:
    response = fakes.post(
        "/v3/mail/send",
        headers={"Authorization": "Bearer SG.x"},
        json={
            "personalizations": [{"to": [{"email": "nope"}]}],
            "from": {"email": "a@kairos.local"},
            "content": [{"type": "text/html", "value": "<p>x</p>"}, {"type": "text/plain"}],
        },
    )
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"personalizations.0.to", "subject", "content.1.value", "content"} <= fields
    assert all(set(e) == {"message", "field", "help"} for e in response.json()["errors"])


def test_fake_sandbox_mode_validates_without_delivering(fakes: httpx.Client) -> None:
    to = _recipient()
    body = {
        "personalizations": [{"to": [{"email": to}]}],
        "from": {"email": "a@kairos.local"},
        "subject": "s",
        "content": [{"type": "text/plain", "value": "x"}],
        "mail_settings": {"sandbox_mode": {"enable": True}},
    }
    response = fakes.post("/v3/mail/send", headers={"Authorization": "Bearer SG.x"}, json=body)
    assert response.status_code == 200 and response.content == b""
    assert fakes.get("/_mailbox", params={"to": to}).json() == []
