"""The routes the researcher console reads: participant table, prompt journeys, live
compliance, bulk CSV, duplication, simulation and preview calendar, the checklist, the
survey preview, the join QR code, and the auditor's campaign list."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient

from domain.esm.delivery import DeliveryOutcome
from infrastructure.bootstrap import Container
from tests.support.esm import (
    VALID_ANSWERS,
    System,
    api_system,
    definition,
    esm_head,
    researcher_headers,
    send_one,
    wait_read,
)
from tests.support.joining import open_campaign

MORNING = datetime(2026, 3, 20, 6, 0, tzinfo=UTC)


@pytest.fixture
def system(client: TestClient) -> Iterator[System]:
    with api_system(client, MORNING) as system:
        yield system


def owner_headers(container: Container, campaign_id: object) -> dict[str, str]:
    owner = container.esm.campaign_for(None, campaign_id).owner_id  # type: ignore[arg-type]
    claims = container.tokens.issue(owner, ("researcher",), "access")
    return {"Authorization": f"Bearer {container.tokens.encode(claims)}"}


def test_table_timeline_and_monitor_show_an_answered_prompt(system) -> None:  # type: ignore[no-untyped-def]
    client, container, clock, mailer = system
    sent = send_one(container, clock, mailer)
    headers = owner_headers(container, sent.campaign_id)
    clock.advance(minutes=3)
    assert client.post(f"/s/{sent.token}", json={"answers": VALID_ANSWERS}).status_code == 201
    container.esm.record_email_delivery(sent.prompt_id, DeliveryOutcome.DELIVERED, clock(), None)
    wait_read(container, esm_head(container))
    base = f"/campaigns/{sent.campaign_id}"

    table = client.get(f"{base}/participants/table", headers=headers).json()["participants"]
    row = next(r for r in table if r["id"] == str(sent.participant_id))
    assert (row["sent"], row["answered"], row["response_rate"]) == (1, 1, 1.0)
    assert row["median_latency_seconds"] == 180.0 and row["last_answer_at"] is not None
    assert row["display_status"] == "active"

    timeline = client.get(
        f"{base}/participants/{sent.participant_id}/timeline", headers=headers
    ).json()
    assert [e["kind"] for e in timeline["events"]] == ["enrolled"]
    journey = next(j for j in timeline["journeys"] if j["prompt_id"] == str(sent.prompt_id))
    kinds = [e["kind"] for e in journey["events"]]
    assert kinds == ["scheduled", "sent", "answered", "delivery"]  # JSON answers: no page open
    assert journey["outcome"] == "answered"

    monitor = client.get(f"{base}/monitor", headers=headers).json()
    assert monitor["kpis"]["answered"] == 1 and monitor["kpis"]["response_rate"] == 1.0
    assert monitor["funnel"]["sent"] == 1 and monitor["funnel"]["delivered"] == 1
    assert monitor["funnel"]["opened"] == 1 and monitor["funnel"]["answered"] == 1
    assert sum(b["count"] for b in monitor["latency_histogram"]) == 1
    assert monitor["latency_histogram"][1] == {"from_seconds": 60, "to_seconds": 300, "count": 1}
    person = monitor["participants"][0]
    cell = next(c for c in person["cells"] if c["answered"])
    assert cell["rate"] == 1.0
    assert next(b["outcome"] for b in person["strip"]) == "answered"
    other = researcher_headers(container)[1]
    assert client.get(f"{base}/monitor", headers=other).status_code == 404


def test_a_bounce_is_a_delivery_problem(system) -> None:  # type: ignore[no-untyped-def]
    client, container, clock, mailer = system
    sent = send_one(container, clock, mailer)
    headers = owner_headers(container, sent.campaign_id)
    container.esm.record_email_delivery(
        sent.prompt_id, DeliveryOutcome.BOUNCED, clock(), None, reported_as="bounce"
    )
    wait_read(container, esm_head(container))
    monitor = client.get(f"/campaigns/{sent.campaign_id}/monitor", headers=headers).json()
    assert [(p["participant"], p["detail"]) for p in monitor["delivery_problems"]] == [
        (str(sent.participant_id), "bounce")
    ]
    table = client.get(f"/campaigns/{sent.campaign_id}/participants/table", headers=headers).json()
    assert table["participants"][0]["delivery_problem"] == "bounce"


def test_bulk_csv_reports_each_row_and_a_dry_run_enrolls_nobody(system) -> None:  # type: ignore[no-untyped-def]
    client, container, _, _ = system
    _, headers = researcher_headers(container)
    campaign = client.post("/campaigns", json=definition(MORNING.date()), headers=headers).json()
    good = f"a-{uuid4().hex[:8]}@example.com"
    csv = (
        "email,timezone,window_start,window_end\n"
        f"{good},Europe/Warsaw,08:00,20:00\n"
        "not-an-email,,,\n"
        f"{good.upper()},,,\n"
        f"b-{uuid4().hex[:8]}@example.com,Mars/Base,,\n"
        "\n"
        f"c-{uuid4().hex[:8]}@example.com,,09:00,\n"
    )
    url = f"/campaigns/{campaign['id']}/participants/bulk"
    dry = client.post(url, json={"csv": csv, "dry_run": True}, headers=headers).json()
    assert (dry["enrolled"], dry["failed"]) == (0, 4)
    assert [r["line"] for r in dry["rows"]] == [2, 3, 4, 5, 7]
    assert [r["ok"] for r in dry["rows"]] == [True, False, False, False, False]
    assert "line 2" in dry["rows"][2]["error"]
    assert good not in str(dry)
    wait_read(container, esm_head(container))
    listed = client.get(f"/campaigns/{campaign['id']}/participants", headers=headers).json()
    assert listed["participants"] == []
    real = client.post(url, json={"csv": csv}, headers=headers).json()
    assert (real["enrolled"], real["failed"]) == (1, 4)
    listed = client.get(f"/campaigns/{campaign['id']}/participants", headers=headers).json()
    assert [p["window_start"] for p in listed["participants"]] == ["08:00"]
    assert client.post(url, json={"csv": "name\nx"}, headers=headers).status_code == 422
    assert client.post(url, json={"csv": ""}, headers=headers).status_code == 422


def test_simulation_draws_the_real_schedule_with_the_dst_change_and_writes_nothing(system) -> None:  # type: ignore[no-untyped-def]
    client, container, _, _ = system
    _, headers = researcher_headers(container)
    body = definition(
        MORNING.date(),
        end_date="2026-04-02",
        schedule={
            "kind": "random",
            "prompts_per_day": 4,
            "window_start": "09:00",
            "window_end": "21:00",
            "min_gap_minutes": 60,
        },
    )
    head = esm_head(container)
    result = client.post(
        "/campaigns/simulate", json={**body, "participants": 20}, headers=headers
    ).json()
    assert esm_head(container) == head, "simulating writes nothing"
    assert result["prompts_per_participant_day"] == 4.0
    assert result["night_prompts"] == 0 and result["min_gap_minutes"] >= 60
    assert sum(result["coverage_by_hour"]) == result["prompts"] == 20 * 14 * 4
    assert result["emails"] == 2 * result["prompts"], "a reminder each at most"
    assert all(result["coverage_by_hour"][h] == 0 for h in range(0, 9))
    calendar = result["calendar"]
    assert calendar["dst_changes"] == ["2026-03-29"]
    day = next(d for d in calendar["days"] if d["date"] == "2026-03-29")
    assert day["utc_offset"] == "UTC+02:00" and day["dst_change"]
    assert all(
        "09:00" <= p["local_time"] <= "21:00" for d in calendar["days"] for p in d["prompts"]
    )
    saved = client.post("/campaigns", json=body, headers=headers).json()
    sample = {
        "sample": {"timezone": "America/New_York", "window_start": "07:00", "window_end": "12:00"}
    }
    existing = client.post(
        f"/campaigns/{saved['id']}/simulate", json=sample, headers=headers
    ).json()
    assert existing["calendar"]["timezone"] == "America/New_York"
    assert existing["calendar"]["dst_changes"] == []
    assert all(
        "07:00" <= p["local_time"] <= "12:00"
        for d in existing["calendar"]["days"]
        for p in d["prompts"]
    )
    bad = client.post("/campaigns/simulate", json={**body, "participants": 100000}, headers=headers)
    assert bad.status_code == 422


def test_duplicate_checklist_preview_and_qr(system) -> None:  # type: ignore[no-untyped-def]
    client, container, _, _ = system
    _, headers = researcher_headers(container)
    campaign = open_campaign(client, headers, MORNING.date(), launch=False)
    copy = client.post(f"/campaigns/{campaign['id']}/duplicate", headers=headers)
    assert copy.status_code == 201, copy.text
    assert copy.json()["name"] == "Copy of Daily mood" and copy.json()["status"] == "draft"
    assert copy.json()["join_code"] != campaign["join_code"]
    assert copy.json()["self_enrollment"]["open"] is False
    checklist = client.get(f"/campaigns/{campaign['id']}/checklist", headers=headers).json()
    keys = {i["key"]: i["level"] for i in checklist["items"]}
    assert {"dates", "burden", "timezones", "participants", "mail"} <= set(keys)
    preview = client.post(
        "/campaigns/survey-preview",
        json={"name": "Mood", "questionnaire": campaign["questionnaire"]},
        headers=headers,
    )
    assert preview.status_code == 200
    assert "How is your mood?" in preview.json()["html"] and "<form" in preview.json()["html"]
    broken = client.post(
        "/campaigns/survey-preview",
        json={
            "questionnaire": {
                "questions": [{"id": "x", "type": "slider", "text": "t", "min": 5, "max": 1}]
            }
        },
        headers=headers,
    )
    assert broken.status_code == 422 and "'x'" in broken.json()["detail"]
    qr = client.get(f"/campaigns/{campaign['id']}/join-qr.svg", headers=headers)
    assert qr.status_code == 200 and qr.headers["content-type"].startswith("image/svg+xml")
    assert qr.text.startswith('<svg xmlns="http://www.w3.org/2000/svg"'), "an <img> needs it"
    plain = client.post("/campaigns", json=definition(MORNING.date()), headers=headers).json()
    assert client.get(f"/campaigns/{plain['id']}/join-qr.svg", headers=headers).status_code == 404


def test_an_auditor_lists_every_campaign_a_researcher_only_their_own(system) -> None:  # type: ignore[no-untyped-def]
    client, container, _, _ = system
    _, headers = researcher_headers(container)
    mine = client.post("/campaigns", json=definition(MORNING.date()), headers=headers).json()
    account, _ = container.identity.register(f"aud-{uuid4().hex[:8]}@example.com", "password1")
    token = container.tokens.encode(container.tokens.issue(account, ("auditor",), "access"))
    auditor = {"Authorization": f"Bearer {token}"}
    everything = client.get("/audit/campaigns", headers=auditor).json()["campaigns"]
    assert mine["id"] in {c["id"] for c in everything}
    own = client.get("/audit/campaigns", headers=headers).json()["campaigns"]
    assert [c["id"] for c in own] == [mine["id"]]
    assert client.get("/audit/campaigns").status_code == 401
