"""Researcher routes: campaigns, lifecycle, participants, visibility."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient

from infrastructure.bootstrap import Container
from tests.support.esm import FakeClock, controlled, definition, esm_head, researcher_headers
from tests.support.system import running_projector

MORNING = datetime(2026, 6, 10, 6, 0, tzinfo=UTC)


@pytest.fixture
def system(client: TestClient) -> Iterator[tuple[TestClient, Container, FakeClock]]:
    container: Container = client.app.state.container  # type: ignore[attr-defined]
    clock = FakeClock(MORNING)
    with controlled(container, clock), running_projector(container):
        yield client, container, clock


def draft_campaign(
    client: TestClient, container: Container
) -> tuple[dict[str, str], dict[str, Any], str]:
    """A new researcher's draft campaign: (their headers, the campaign, its URL)."""
    _, headers = researcher_headers(container)
    campaign = client.post("/campaigns", json=definition(MORNING.date()), headers=headers).json()
    return headers, campaign, f"/campaigns/{campaign['id']}"


def test_campaign_is_created_as_draft_and_listed_with_counts(system) -> None:  # type: ignore[no-untyped-def]
    client, container, _ = system
    _, headers = researcher_headers(container)
    created = client.post("/campaigns", json=definition(MORNING.date()), headers=headers)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["status"] == "draft"
    assert body["questionnaire_version"] == 1
    assert body["counts"]["participants"] == 0
    listed = client.get("/campaigns", headers=headers).json()["campaigns"]
    assert [c["id"] for c in listed] == [body["id"]]


def test_invalid_question_is_refused_with_422_naming_it(system) -> None:  # type: ignore[no-untyped-def]
    client, container, _ = system
    _, headers = researcher_headers(container)
    bad = definition(MORNING.date())
    bad["questionnaire"]["questions"][1]["min"] = 200
    response = client.post("/campaigns", json=bad, headers=headers)
    assert response.status_code == 422
    assert "energy" in response.json()["detail"]


def test_bad_schedule_is_a_422(system) -> None:  # type: ignore[no-untyped-def]
    client, container, _ = system
    _, headers = researcher_headers(container)
    bad = definition(
        MORNING.date(),
        schedule={
            "kind": "random",
            "prompts_per_day": 10,
            "window_start": "09:00",
            "window_end": "10:00",
            "min_gap_minutes": 30,
        },
    )
    response = client.post("/campaigns", json=bad, headers=headers)
    assert response.status_code == 422
    assert "too short" in response.json()["detail"]


def test_patch_works_only_in_draft_then_409(system) -> None:  # type: ignore[no-untyped-def]
    client, container, _ = system
    headers, campaign, url = draft_campaign(client, container)
    questions = campaign["questionnaire"]["questions"][:2]
    patched = client.patch(
        url,
        json={"name": "Evening mood", "questionnaire": {"questions": questions}},
        headers=headers,
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["name"] == "Evening mood"
    assert patched.json()["questionnaire_version"] == 2
    assert client.post(f"{url}/launch", headers=headers).json()["status"] == "active"
    refused = client.patch(url, json={"name": "Too late"}, headers=headers)
    assert refused.status_code == 409
    assert "draft" in refused.json()["detail"]


def test_lifecycle_moves_and_refuses_impossible_steps(system) -> None:  # type: ignore[no-untyped-def]
    client, container, _ = system
    headers, _campaign, url = draft_campaign(client, container)
    assert client.post(f"{url}/resume", headers=headers).status_code == 409
    for action, status in [
        ("launch", "active"),
        ("pause", "paused"),
        ("resume", "active"),
        ("complete", "completed"),
        ("archive", "archived"),
    ]:
        response = client.post(f"{url}/{action}", headers=headers)
        assert response.status_code == 200, (action, response.text)
        assert response.json()["status"] == status
    assert client.post(f"{url}/launch", headers=headers).status_code == 409


def test_a_researcher_sees_only_their_own_campaigns(system) -> None:  # type: ignore[no-untyped-def]
    client, container, _ = system
    _, owner = researcher_headers(container)
    _, other = researcher_headers(container)
    campaign = client.post("/campaigns", json=definition(MORNING.date()), headers=owner).json()
    for path in ("", "/prompts", "/compliance", "/responses"):
        assert client.get(f"/campaigns/{campaign['id']}{path}", headers=other).status_code == 404
    assert client.post(f"/campaigns/{campaign['id']}/launch", headers=other).status_code == 404
    assert client.get("/campaigns", headers=other).json()["campaigns"] == []


def test_a_member_without_the_researcher_role_gets_403(system) -> None:  # type: ignore[no-untyped-def]
    client, container, _ = system
    account_id, _ = container.identity.register(f"m-{uuid4().hex[:8]}@example.com", "password1")
    token = container.tokens.encode(container.tokens.issue(account_id, ("member",), "access"))
    response = client.get("/campaigns", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403


def test_enrolled_participant_gets_prompts_and_withdrawal_cancels_them(system) -> None:  # type: ignore[no-untyped-def]
    client, container, _ = system
    headers, _campaign, url = draft_campaign(client, container)
    client.post(f"{url}/launch", headers=headers)
    email = f"p-{uuid4().hex[:8]}@example.com"
    enrolled = client.post(f"{url}/participants", json={"email": email}, headers=headers)
    assert enrolled.status_code == 201, enrolled.text
    participant = enrolled.json()
    assert email not in enrolled.text
    again = client.post(f"{url}/participants", json={"email": email.upper()}, headers=headers)
    assert again.status_code == 409
    prompts = client.get(f"{url}/prompts", headers=headers).json()["prompts"]
    assert prompts, "an active campaign plans a new participant at once"
    assert {p["participant"] for p in prompts} == {participant["id"]}
    assert all(p["status"] == "scheduled" for p in prompts)
    assert all(p["scheduled_at"] > MORNING.isoformat() for p in prompts)
    gone = client.delete(f"{url}/participants/{participant['id']}", headers=headers)
    assert gone.status_code == 204
    statuses = {
        p["status"] for p in client.get(f"{url}/prompts", headers=headers).json()["prompts"]
    }
    assert statuses == {"cancelled"}
    assert client.get(f"{url}", headers=headers).json()["counts"]["participants"] == 0


def test_personal_window_too_short_for_the_policy_is_a_422(system) -> None:  # type: ignore[no-untyped-def]
    client, container, _ = system
    _, headers = researcher_headers(container)
    body = definition(
        MORNING.date(),
        schedule={"kind": "random", "prompts_per_day": 4, "min_gap_minutes": 60},
    )
    campaign = client.post("/campaigns", json=body, headers=headers).json()
    response = client.post(
        f"/campaigns/{campaign['id']}/participants",
        json={"email": "x@example.com", "window_start": "10:00", "window_end": "12:00"},
        headers=headers,
    )
    assert response.status_code == 422
    assert "too short" in response.json()["detail"]


@pytest.mark.parametrize(
    "override",
    [
        {"timezone": "Europe"},
        {"timezone": "localtime"},
        {"name": "nul\x00name"},
        {"description": "lone \ud800 surrogate"},
    ],
)
def test_unstorable_or_unknown_values_are_a_422_not_a_500(system, override) -> None:  # type: ignore[no-untyped-def]
    client, container, _ = system
    _, headers = researcher_headers(container)
    response = client.post(
        "/campaigns",
        content=json.dumps(definition(MORNING.date(), **override)),
        headers={**headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 422, response.text


def test_planning_stays_inside_the_campaign_dates(system) -> None:  # type: ignore[no-untyped-def]
    client, container, clock = system
    _, headers = researcher_headers(container)
    start = MORNING.date() + timedelta(days=3)
    body = definition(start, end_date=start.isoformat())  # a one-day campaign, 3 days ahead
    campaign = client.post("/campaigns", json=body, headers=headers).json()
    url = f"/campaigns/{campaign['id']}"
    client.post(f"{url}/launch", headers=headers)
    client.post(f"{url}/participants", json={"email": "early@example.com"}, headers=headers)
    assert client.get(f"{url}/prompts", headers=headers).json()["prompts"] == []
    clock.advance(days=2)  # the day before the start: planning a day ahead reaches it
    container.esm.plan_upcoming(UUID(campaign["id"]))
    clock.advance(days=5)
    container.esm.plan_upcoming(UUID(campaign["id"]))
    container.database.wait_for("esm", "esm", esm_head(container), 10)
    days = {p["day"] for p in client.get(f"{url}/prompts", headers=headers).json()["prompts"]}
    assert days == {start.isoformat()}


def test_prompts_of_a_completed_campaign_are_cancelled_when_due(system) -> None:  # type: ignore[no-untyped-def]
    client, container, clock = system
    headers, _campaign, url = draft_campaign(client, container)
    client.post(f"{url}/launch", headers=headers)
    client.post(f"{url}/participants", json={"email": "done@example.com"}, headers=headers)
    client.post(f"{url}/complete", headers=headers)
    first = client.get(f"{url}/prompts", headers=headers).json()["prompts"][0]
    clock.set(datetime.fromisoformat(first["scheduled_at"]))
    mailer = container.mailer
    outcome = container.esm.send_prompt(UUID(first["id"]), mailer, "http://testserver")
    assert outcome == "cancelled"
    container.database.wait_for("esm", "esm", esm_head(container), 10)
    shown = client.get(f"{url}/prompts?status=cancelled", headers=headers).json()["prompts"]
    assert [p["cancel_reason"] for p in shown] == ["campaign completed"]
