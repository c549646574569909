"""Auditor routes over a scripted campaign: history, state as of an instant, verify."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient

from infrastructure.bootstrap import Container
from tests.integration.audit_flow import (
    ScriptedCampaign,
    catch_up,
    first_event_edited,
    launched_campaign,
)


def bearer(container: Container, account_id: UUID, *roles: str) -> dict[str, str]:
    token = container.tokens.encode(container.tokens.issue(account_id, roles, "access"))
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def flow(container: Container) -> Iterator[ScriptedCampaign]:
    with launched_campaign(container) as flow:
        flow.enroll(f"ann-{uuid4().hex[:8]}@example.com")
        flow.enroll(f"bob-{uuid4().hex[:8]}@example.com")
        flow.clock.advance(hours=2, minutes=1)
        ann, bob = flow.participants
        answered = flow.send_due(ann)[0]
        flow.send_due(bob)
        flow.clock.advance(minutes=5)
        flow.answer(answered, 7)
        flow.withdraw(bob)
        catch_up(container)
        yield flow


def test_history_lists_every_event_in_commit_order_without_personal_data(
    client: TestClient, container: Container, flow: ScriptedCampaign
) -> None:
    response = client.get(
        f"/campaigns/{flow.campaign_id}/history", headers=bearer(container, flow.owner_id)
    )
    assert response.status_code == 200, response.text
    events = response.json()["events"]
    positions = [e["position"] for e in events]
    assert positions == sorted(positions) and len(set(positions)) == len(positions)
    types = {(e["aggregate_type"], e["type"]) for e in events}
    assert {
        ("Campaign", "Created"),
        ("Campaign", "Launched"),
        ("Enrollment", "Enrolled"),
        ("Enrollment", "Withdrawn"),
        ("Prompt", "Scheduled"),
        ("Prompt", "Sent"),
        ("Prompt", "Answered"),
    } <= types
    for email in flow.participants:
        assert email not in response.text
    assert "sealed:" not in response.text
    enrolled = [e for e in events if e["type"] == "Enrolled"]
    assert {e["data"]["sealed_email"] for e in enrolled} == {"[sealed]"}
    claimed = next(e for e in events if e["type"] == "SendingClaimed")
    assert claimed["data"]["token_hash"] == "[redacted]"
    assert all(len(e["hash"]) == 64 and e["link"] for e in events)


def test_an_auditor_sees_any_campaign_and_another_researcher_gets_404(
    client: TestClient, container: Container, flow: ScriptedCampaign
) -> None:
    url = f"/campaigns/{flow.campaign_id}/history"
    assert client.get(url, headers=bearer(container, uuid4(), "auditor")).status_code == 200
    assert client.get(url, headers=bearer(container, uuid4(), "researcher")).status_code == 404
    assert client.get(url).status_code == 401
    unknown = f"/campaigns/{uuid4()}/history"
    assert client.get(unknown, headers=bearer(container, uuid4(), "auditor")).status_code == 404


def test_verify_passes_on_an_untouched_campaign(
    client: TestClient, container: Container, flow: ScriptedCampaign
) -> None:
    headers = bearer(container, flow.owner_id, "researcher")
    history = client.get(f"/campaigns/{flow.campaign_id}/history", headers=headers).json()
    response = client.get(f"/campaigns/{flow.campaign_id}/verify", headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["differences"] == []
    assert body["ok"] is True
    assert body["events_checked"] == len(history["events"])
    assert body["rows_compared"] > 0


def test_verify_reports_a_read_model_row_that_the_events_do_not_produce(
    client: TestClient, container: Container, flow: ScriptedCampaign
) -> None:
    prompt = flow.prompts_of(next(iter(flow.participants)))[-1]
    before = container.database.fetch_one(
        "SELECT status FROM read.esm_prompts WHERE id = %s", (prompt,)
    )
    assert before is not None
    container.database.execute(
        "UPDATE read.esm_prompts SET status = 'answered' WHERE id = %s", (prompt,)
    )
    try:
        body = client.get(
            f"/campaigns/{flow.campaign_id}/verify", headers=bearer(container, uuid4(), "auditor")
        ).json()
    finally:
        container.database.execute(
            "UPDATE read.esm_prompts SET status = %s WHERE id = %s", (before["status"], prompt)
        )
    assert body["ok"] is False
    found = {(d["kind"], d["table"], (d.get("key") or {}).get("id")) for d in body["differences"]}
    assert ("read_model_row_unexpected", "read.esm_prompts", str(prompt)) in found
    assert ("read_model_row_missing", "read.esm_prompts", str(prompt)) in found
    # and the live table was left exactly as it was
    after = container.database.fetch_one("SELECT count(*) AS n FROM read.esm_prompts")
    assert after is not None and after["n"] > 0


def test_verify_reports_an_edited_event_of_the_campaign(
    client: TestClient, container: Container, flow: ScriptedCampaign
) -> None:
    def edit(state: bytes) -> bytes:
        return state.replace(b"Mood study", b"Mood stuff")

    with first_event_edited(container, flow.campaign_id, edit) as notification_id:
        body = client.get(
            f"/campaigns/{flow.campaign_id}/verify", headers=bearer(container, uuid4(), "auditor")
        ).json()
    assert body["ok"] is False
    kinds = {(d["kind"], d.get("notification_id")) for d in body["differences"]}
    assert ("altered_event", notification_id) in kinds


def test_state_now_matches_the_read_models(
    client: TestClient, container: Container, flow: ScriptedCampaign
) -> None:
    response = client.get(
        f"/campaigns/{flow.campaign_id}/state", headers=bearer(container, flow.owner_id)
    )
    assert response.status_code == 200, response.text
    state = response.json()
    campaign = container.database.fetch_one(
        "SELECT status FROM read.esm_campaigns WHERE id = %s", (flow.campaign_id,)
    )
    assert campaign is not None and state["campaign"]["status"] == campaign["status"]
    live = container.database.fetch_all(
        "SELECT id::text, status FROM read.esm_prompts WHERE campaign_id = %s ORDER BY id",
        (flow.campaign_id,),
    )
    replayed = sorted((p["id"], p["status"]) for p in state["prompts"])
    assert replayed == [(r["id"], r["status"]) for r in live]
    assert {p["email"] for p in state["participants"]} == {"[sealed]"}


def test_state_before_the_campaign_existed_is_404_and_a_naive_instant_is_422(
    client: TestClient, container: Container, flow: ScriptedCampaign
) -> None:
    headers = bearer(container, flow.owner_id)
    history = client.get(f"/campaigns/{flow.campaign_id}/history", headers=headers).json()
    from datetime import datetime

    first = datetime.fromisoformat(history["events"][0]["timestamp"])
    before = (first - timedelta(seconds=1)).isoformat()
    url = f"/campaigns/{flow.campaign_id}/state"
    assert client.get(url, params={"as_of": before}, headers=headers).status_code == 404
    naive = first.replace(tzinfo=None).isoformat()
    assert client.get(url, params={"as_of": naive}, headers=headers).status_code == 422


def test_history_pages_with_after_and_limit(
    client: TestClient, container: Container, flow: ScriptedCampaign
) -> None:
    headers = bearer(container, flow.owner_id)
    url = f"/campaigns/{flow.campaign_id}/history"
    everything = client.get(url, headers=headers).json()
    assert everything["next_after"] is None
    paged: list[dict[str, object]] = []
    params: dict[str, int] = {"limit": 7}
    while True:
        page = client.get(url, params=params, headers=headers).json()
        paged += page["events"]
        if page["next_after"] is None:
            break
        params = {"limit": 7, "after": page["next_after"]}
    assert paged == everything["events"]
    assert client.get(url, params={"limit": 0}, headers=headers).status_code == 422
