"""Reminders at chosen offsets and campaigns that complete themselves, through HTTP, the
real PostgreSQL read models and the beat tick's own task function; both visible to audit
replay and verify."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient

from infrastructure.bootstrap import Container
from interfaces.tasks import esm as esm_tasks
from interfaces.tasks import runtime
from tests.support.esm import (
    System,
    api_system,
    definition,
    esm_head,
    researcher_headers,
    token_from,
    wait_read,
)

MORNING = datetime(2026, 6, 10, 6, 0, tzinfo=UTC)
THREE = [{"after_minutes": 10}, {"after_minutes": 25}, {"after_minutes": 45}]


@pytest.fixture
def system(client: TestClient) -> Iterator[System]:
    runtime.set_container(client.app.state.container)  # type: ignore[attr-defined]
    try:
        with api_system(client, MORNING) as system:
            yield system
    finally:
        runtime.set_container(None)


def launched(
    client: TestClient, container: Container, headers: dict[str, str], **overrides: Any
) -> str:
    body = definition(MORNING.date(), **overrides)
    created = client.post("/campaigns", json=body, headers=headers)
    assert created.status_code == 201, created.text
    campaign_id: str = created.json()["id"]
    assert client.post(f"/campaigns/{campaign_id}/launch", headers=headers).status_code == 200
    return campaign_id


def prompt_row(container: Container, prompt_id: UUID) -> dict[str, Any]:
    wait_read(container, esm_head(container))
    row = container.database.fetch_one("SELECT * FROM read.esm_prompts WHERE id = %s", (prompt_id,))
    assert row is not None
    return row


@pytest.mark.parametrize(
    ("reminders", "problem"),
    [
        ([{"after_minutes": 60}], "reminder 1: after_minutes (60) must be less than expiry"),
        ([{"after_minutes": 20}, {"after_minutes": 15}], "later than reminder 1's (20)"),
        ([*THREE, {"after_minutes": 50}], "at most 3"),
    ],
)
def test_impossible_reminders_are_a_422_with_a_message(system, reminders, problem) -> None:  # type: ignore[no-untyped-def]
    client, container, _, _ = system
    _, headers = researcher_headers(container)
    body = definition(MORNING.date(), reminder_after_minutes=None, reminders=reminders)
    response = client.post("/campaigns", json=body, headers=headers)
    assert response.status_code == 422
    assert problem in response.json()["detail"]


def test_three_reminders_go_at_their_offsets_each_once(system) -> None:  # type: ignore[no-untyped-def]
    client, container, clock, mailer = system
    _, headers = researcher_headers(container)
    campaign_id = launched(client, container, headers, reminder_after_minutes=None, reminders=THREE)
    shown = client.get(f"/campaigns/{campaign_id}", headers=headers).json()
    assert shown["reminders"] == THREE and shown["reminder_after_minutes"] == 10
    email = f"p-{uuid4().hex[:10]}@example.com"
    enrolled = client.post(
        f"/campaigns/{campaign_id}/participants", json={"email": email}, headers=headers
    )
    assert enrolled.status_code == 201, enrolled.text
    enrollment = container.esm.get_or_none(UUID(enrolled.json()["id"]))
    prompt_id = enrollment.prompt_ids[0]  # type: ignore[union-attr]
    clock.set(container.esm.get_or_none(prompt_id).scheduled_at)  # type: ignore[union-attr]
    assert container.esm.send_prompt(prompt_id, mailer, "http://testserver") == "sent"
    sent_at = clock()
    assert prompt_row(container, prompt_id)["reminder_due_at"] == sent_at + timedelta(minutes=10)

    for number, offset in enumerate([10, 25, 45], start=1):
        clock.set(sent_at + timedelta(minutes=offset - 1))
        assert prompt_id not in container.esm.due_reminder_ids()
        clock.set(sent_at + timedelta(minutes=offset))
        assert prompt_id in container.esm.due_reminder_ids()
        assert container.esm.send_reminder(prompt_id, mailer, "http://testserver") == "reminded"
        assert container.esm.send_reminder(prompt_id, mailer, "http://testserver") == "skipped"
        row = prompt_row(container, prompt_id)
        assert row["reminders_sent"] == number and row["reminded"]
    assert row["reminder_due_at"] is None
    clock.set(sent_at + timedelta(minutes=59))
    assert prompt_id not in container.esm.due_reminder_ids()

    mails = mailer.to(email)
    assert [m.subject.startswith("Reminder") for m in mails] == [False, True, True, True]
    listed = client.get(f"/campaigns/{campaign_id}/prompts", headers=headers).json()["prompts"]
    assert [p["reminders_sent"] for p in listed if p["id"] == str(prompt_id)] == [3]
    last_link = token_from(mails[-1].text)
    assert client.get(f"/s/{last_link}", headers={"Accept": "application/json"}).status_code == 200


def test_a_campaign_completes_itself_after_its_end_date_in_every_zone(system) -> None:  # type: ignore[no-untyped-def]
    client, container, clock, _ = system
    _, headers = researcher_headers(container)
    end = MORNING.date() + timedelta(days=1)
    campaign_id = launched(client, container, headers, end_date=end.isoformat())
    far_west = client.post(
        f"/campaigns/{campaign_id}/participants",
        json={"email": f"p-{uuid4().hex[:10]}@example.com", "timezone": "America/Los_Angeles"},
        headers=headers,
    )
    assert far_west.status_code == 201, far_west.text
    wait_read(container, esm_head(container))
    cid = UUID(campaign_id)

    clock.set(datetime(2026, 6, 11, 22, 0, tzinfo=UTC))  # midnight after end_date in Warsaw
    assert cid not in container.esm.ended_campaign_ids()  # still 15:00 in Los Angeles
    esm_tasks.complete_tick()  # (other tests' campaigns in the shared database may end here)
    assert container.esm.complete_ended_campaign(cid) == "skipped"
    clock.set(datetime(2026, 6, 12, 7, 0, tzinfo=UTC))  # midnight in Los Angeles
    assert cid in container.esm.ended_campaign_ids()
    assert esm_tasks.complete_tick() >= 1
    assert container.esm.complete_ended_campaign(cid) == "skipped"  # idempotent
    wait_read(container, esm_head(container))
    assert esm_tasks.complete_tick() == 0 or cid not in container.esm.ended_campaign_ids()
    shown = client.get(f"/campaigns/{campaign_id}", headers=headers).json()
    assert (shown["status"], shown["completed_by"]) == ("completed", "end_date")

    kinds = [type(e).__name__ for e in container.esm.events.get(cid)]
    assert kinds.count("Completed") == 1
    history = client.get(f"/campaigns/{campaign_id}/history", headers=headers).json()["events"]
    completed = [e for e in history if e["type"].endswith("Completed")]
    assert len(completed) == 1 and completed[0]["data"]["by"] == "end_date"
    verify = client.get(f"/campaigns/{campaign_id}/verify", headers=headers).json()
    assert verify["ok"] is True, verify["differences"]
    state = client.get(f"/campaigns/{campaign_id}/state", headers=headers).json()
    assert state["campaign"]["completed_by"] == "end_date"
