"""Regression tests for what a hostile trial of ESMpress broke, each named after it:
export columns, spreadsheet formulas, re-enrolment, withdrawn participants, addresses the
mailer could not send to, and a survey form that showed one error at a time."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient

from application.shared.ports import MailDeliveryError
from domain.esm.delivery import DeliveryOutcome
from infrastructure.bootstrap import Container
from tests.support.esm import (
    VALID_ANSWERS,
    FakeClock,
    controlled,
    definition,
    researcher_headers,
    send_one,
    token_from,
    wait_read,
)
from tests.support.mailer import RecordingMailer
from tests.support.system import running_projector

START = datetime(2026, 6, 10, 5, 0, tzinfo=UTC)


def _campaign(client: TestClient, headers: dict[str, str], **overrides: Any) -> str:
    body = definition(START.date(), schedule={"kind": "fixed", "times": ["08:00"]}, **overrides)
    created = client.post("/campaigns", json=body, headers=headers)
    assert created.status_code == 201, created.text
    url = f"/campaigns/{created.json()['id']}"
    assert client.post(f"{url}/launch", headers=headers).status_code == 200
    return url


@pytest.mark.parametrize("qid", ["participant", "prompt_id", "answered_at"])
def test_a_question_id_naming_an_export_column_is_refused_with_422(
    client: TestClient, container: Container, qid: str
) -> None:
    _, headers = researcher_headers(container)
    questions = [{"id": qid, "type": "text", "text": "Who?"}]
    body = definition(START.date(), questionnaire={"questions": questions})
    response = client.post("/campaigns", json=body, headers=headers)
    assert response.status_code == 422
    assert "export's own columns" in response.json()["detail"]


def test_csv_export_neutralises_formulas_and_keeps_options_with_semicolons_apart(
    client: TestClient, container: Container
) -> None:
    questions = [
        {
            "id": "doing",
            "type": "multi_choice",
            "text": "Doing?",
            "options": ["work; unpaid", "rest", "=cmd|' /C calc'!A0"],
        },
        {"id": "note", "type": "text", "text": "Anything?", "required": False},
    ]
    clock = FakeClock(START)
    with controlled(container, clock) as mailer, running_projector(container):
        _, headers = researcher_headers(container)
        url = _campaign(client, headers, questionnaire={"questions": questions})
        email = f"csv-{uuid4().hex[:8]}@example.com"
        assert client.post(f"{url}/participants", json={"email": email}, headers=headers)
        prompt = client.get(f"{url}/prompts", headers=headers).json()["prompts"][0]
        clock.set(datetime.fromisoformat(prompt["scheduled_at"]))
        assert container.esm.send_prompt(prompt["id"], mailer, "http://testserver") == "sent"
        token = token_from(mailer.to(email)[0].text)
        answers = {"doing": ["work; unpaid", "rest"], "note": '=HYPERLINK("http://evil")'}
        assert client.post(f"/s/{token}", json={"answers": answers}).status_code == 201
        wait_read(container, container.esm.recorder.max_notification_id() or 0)
        exported = client.get(f"{url}/responses?format=csv", headers=headers).text
    row = next(csv.DictReader(io.StringIO(exported)))
    assert row["note"] == "'" + answers["note"]  # a spreadsheet shows it as text
    assert next(csv.reader([row["doing"]], delimiter=";")) == ["work; unpaid", "rest"]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row.values())


def test_re_enrolling_an_email_says_which_participant_it_is(
    client: TestClient, container: Container
) -> None:
    clock = FakeClock(START)
    with controlled(container, clock), running_projector(container):
        _, headers = researcher_headers(container)
        url = _campaign(client, headers)
        email = f"twice-{uuid4().hex[:8]}@example.com"
        first = client.post(f"{url}/participants", json={"email": email}, headers=headers)
        again = client.post(f"{url}/participants", json={"email": email.upper()}, headers=headers)
    assert again.status_code == 409
    body = again.json()
    assert body["participant"] == first.json()["id"] and body["status"] == "active"
    assert first.json()["id"] in body["detail"]
    assert email not in again.text.lower()


def test_a_withdrawn_participant_can_rejoin_with_fresh_prompts(
    client: TestClient, container: Container
) -> None:
    clock = FakeClock(START)
    with controlled(container, clock), running_projector(container):
        _, headers = researcher_headers(container)
        url = _campaign(client, headers)
        email = f"back-{uuid4().hex[:8]}@example.com"
        participant = client.post(f"{url}/participants", json={"email": email}, headers=headers)
        pid = participant.json()["id"]
        assert client.delete(f"{url}/participants/{pid}", headers=headers).status_code == 204
        before = client.get(f"{url}/prompts?participant={pid}", headers=headers).json()["prompts"]
        assert {p["status"] for p in before} == {"cancelled"}
        clock.advance(minutes=30)
        back = client.post(f"{url}/participants", json={"email": email}, headers=headers)
        assert back.status_code == 201, back.text
        assert back.json()["id"] == pid and back.json()["status"] == "active"
        assert back.json()["rejoined_at"] is not None
        after = client.get(f"{url}/prompts?participant={pid}", headers=headers).json()["prompts"]
    fresh = [p for p in after if p["status"] == "scheduled"]
    assert fresh and {p["id"] for p in fresh}.isdisjoint({p["id"] for p in before})
    assert {p["day"] for p in fresh} >= {p["day"] for p in before}


@pytest.mark.parametrize("address", ["a:b@example.com", "a,b@example.com", "x@y", "a..b@c.de"])
def test_an_address_the_mailer_would_not_send_as_written_is_refused_at_enrollment(
    client: TestClient, container: Container, address: str
) -> None:
    clock = FakeClock(START)
    with controlled(container, clock), running_projector(container):
        _, headers = researcher_headers(container)
        url = _campaign(client, headers)
        response = client.post(f"{url}/participants", json={"email": address}, headers=headers)
    assert response.status_code == 422
    assert "not a valid address" in response.json()["detail"]


class RefusingMailer(RecordingMailer):
    def send(self, **kwargs: Any) -> str:
        raise MailDeliveryError("sendgrid answered 400: does not contain a valid address")


def test_an_undeliverable_participant_is_flagged_not_shown_as_fine(
    client: TestClient, container: Container
) -> None:
    clock = FakeClock(START)
    with controlled(container, clock, RefusingMailer()) as mailer, running_projector(container):
        _, headers = researcher_headers(container)
        url = _campaign(client, headers)
        email = f"gone-{uuid4().hex[:8]}@example.com"
        pid = client.post(f"{url}/participants", json={"email": email}, headers=headers).json()[
            "id"
        ]
        prompt = client.get(f"{url}/prompts", headers=headers).json()["prompts"][0]
        clock.set(datetime.fromisoformat(prompt["scheduled_at"]))
        outcome = container.esm.send_prompt(prompt["id"], mailer, "http://testserver")
        assert outcome == "undeliverable"
        wait_read(container, container.esm.recorder.max_notification_id() or 0)
        shown = client.get(f"{url}/participants", headers=headers).json()["participants"]
        report = client.get(f"{url}/compliance", headers=headers).json()
    mine = next(p for p in shown if p["id"] == pid)
    assert mine["deliverable"] is False and "valid address" in mine["delivery_problem"]
    flagged = next(p for p in report["participants"] if p["participant"] == pid)
    assert flagged["delivery_problem"] == mine["delivery_problem"]


def test_a_bounce_flags_the_participant_and_a_later_delivery_clears_it(
    client: TestClient, container: Container
) -> None:
    clock = FakeClock(START)
    with controlled(container, clock) as mailer, running_projector(container):
        sent = send_one(container, clock, mailer)
        owner = container.esm.campaign_for(None, sent.campaign_id).owner_id
        container.esm.record_email_delivery(
            sent.prompt_id, DeliveryOutcome.BOUNCED, clock(), "m-1", reported_as="bounce"
        )
        wait_read(container, container.esm.recorder.max_notification_id() or 0)
        rows = container.database.fetch_all(
            "SELECT delivery_problem FROM read.esm_participants WHERE id = %s",
            (sent.participant_id,),
        )
        assert rows[0]["delivery_problem"] == "the mail provider reported bounce"
        container.esm.record_email_delivery(
            sent.prompt_id, DeliveryOutcome.DELIVERED, clock(), "m-2"
        )
        wait_read(container, container.esm.recorder.max_notification_id() or 0)
        rows = container.database.fetch_all(
            "SELECT delivery_problem FROM read.esm_participants WHERE id = %s",
            (sent.participant_id,),
        )
    assert rows[0]["delivery_problem"] is None and owner


def test_the_survey_form_shows_every_error_at_once(
    client: TestClient, container: Container
) -> None:
    clock = FakeClock(START)
    with controlled(container, clock) as mailer:
        sent = send_one(container, clock, mailer)
        page = client.get(f"/s/{sent.token}").text
        nonce = re.search(r'name="_nonce" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        response = client.post(
            f"/s/{sent.token}", data={"_nonce": nonce, "mood": "9", "sleep": "lots"}
        )
        as_json = client.post(
            f"/s/{sent.token}", json={"answers": {**VALID_ANSWERS, "mood": 9, "sleep": 99}}
        )
    assert response.status_code == 422
    summary = response.text.split('id="errors"')[1].split("</div>")[0]
    for qid in ("mood", "energy", "company", "sleep"):  # out of range, 3 missing / unreadable
        assert f'href="#q-{qid}"' in summary
        assert f'id="err-{qid}"' in response.text
    assert "Please check 4 answers." in summary
    assert as_json.status_code == 422
    assert [e["question"] for e in as_json.json()["errors"]] == ["mood", "sleep"]
