"""Right to erasure: deleting a person's key leaves no readable email anywhere in the
database, while history still replays and everything still verifies. No event is edited."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient
from psycopg import sql

from application.audit.privacy import erase_person
from infrastructure.audit.verify_chain import verify_log
from infrastructure.bootstrap import Container
from tests.integration.audit_flow import ScriptedCampaign, catch_up, start_clock

TEXT_TYPES = ("text", "character varying", "character", "json", "jsonb", "name", "ARRAY")


def columns_to_scan(container: Container) -> list[dict[str, Any]]:
    return container.database.fetch_all(
        "SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns"
        " WHERE table_schema NOT IN ('pg_catalog', 'information_schema', 'pg_toast')"
        " AND table_schema NOT LIKE 'pg_temp%%'"
        " AND (data_type = ANY(%s) OR data_type = 'bytea')",
        (list(TEXT_TYPES),),
    )


def places_holding(container: Container, needle: str) -> list[str]:
    """Every column of every table, in every schema, whose value contains `needle` (as text,
    JSON or raw bytes)."""
    found = []
    for c in columns_to_scan(container):
        column = sql.Identifier(c["column_name"])
        table = sql.Identifier(c["table_schema"], c["table_name"])
        if c["data_type"] == "bytea":
            condition = sql.SQL("position(%s::bytea IN {}) > 0").format(column)
            param: Any = needle.encode()
        else:
            condition = sql.SQL("{}::text ILIKE %s").format(column)
            param = f"%{needle}%"
        query = sql.SQL("SELECT count(*) AS n FROM {} WHERE {}").format(table, condition)
        with container.database.pool.connection() as conn:
            row = conn.execute(query, (param,)).fetchone()
        if row and row[0]:
            found.append(f"{c['table_schema']}.{c['table_name']}.{c['column_name']}")
    return found


def delivered(container: Container, email: str, prompt_id: Any) -> None:
    """SendGrid's Event Webhook reports delivery, with the recipient's email in the body."""
    import json
    import time

    from interfaces.http.webhooks import _receive

    body = [
        {
            "email": email,
            "event": "delivered",
            "timestamp": int(time.time()),
            "sg_message_id": f"msg-{uuid4().hex}.filter",
            "prompt_id": str(prompt_id),
        }
    ]
    receipt = _receive(container, json.dumps(body).encode(), {})
    assert receipt.recorded == 1


@pytest.fixture(scope="module")
def erased_flow(container: Container) -> Iterator[tuple[ScriptedCampaign, str]]:
    clock = start_clock()
    original = container.esm.clock
    container.esm.clock = clock
    email = f"erase-me-{uuid4().hex[:10]}@example.org"
    try:
        container.identity.register(email, "correct horse battery")
        flow = ScriptedCampaign(container, clock)
        flow.create()
        flow.launch()
        flow.enroll(email)
        flow.enroll(f"stays-{uuid4().hex[:8]}@example.org")
        clock.advance(hours=2, minutes=1)
        prompt = flow.send_due(email)[0]
        clock.advance(minutes=3)
        flow.answer(prompt, 4)
        delivered(container, email, prompt)
        catch_up(container)
        assert container.esm.email_of(flow.participants[email]) == email  # readable before
        yield flow, email
    finally:
        container.esm.clock = original


def test_before_erasure_the_email_is_stored_only_sealed(
    container: Container, erased_flow: tuple[ScriptedCampaign, str]
) -> None:
    _, email = erased_flow
    assert places_holding(container, email) == []


def test_after_erasure_no_table_holds_the_email_and_history_shows_it_erased(
    client: TestClient, container: Container, erased_flow: tuple[ScriptedCampaign, str]
) -> None:
    flow, email = erased_flow
    events_before = container.database.fetch_all(
        "SELECT notification_id, state FROM events.esm_events ORDER BY 1"
    )
    erasure = erase_person(container.vault, email.upper())  # any spelling of the address
    assert erasure.key_deleted is True
    assert erase_person(container.vault, email).key_deleted is False  # idempotent

    assert places_holding(container, email) == []
    assert container.esm.email_of(flow.participants[email]) is None
    assert container.identity.email_of(container.identity.account_id_for(email)) is None
    assert (
        container.database.fetch_one(
            "SELECT 1 AS x FROM vault.subject_keys WHERE subject_id = %s", (erasure.subject_id,)
        )
        is None
    )

    service = container.audit()
    history = service.history(flow.campaign_id)  # type: ignore[arg-type]
    sealed = {
        e["aggregate_id"]: e["data"]["sealed_email"] for e in history if e["type"] == "Enrolled"
    }
    assert sealed[str(flow.participants[email])] == "[erased]"
    others = [v for k, v in sealed.items() if k != str(flow.participants[email])]
    assert others == ["[sealed]"]
    state = service.state(flow.campaign_id, None)  # type: ignore[arg-type]
    emails = {p["id"]: p["email"] for p in state["participants"]}
    assert emails[str(flow.participants[email])] == "[erased]"

    report = service.verify_campaign(flow.campaign_id)  # type: ignore[arg-type]
    assert report.differences == [] and report.ok
    catch_up(container)
    for application in ("identity", "esm"):  # the whole chain, not only this campaign
        assert verify_log(container.database.pool, application).differences == []
    # events were never edited
    assert (
        container.database.fetch_all(
            "SELECT notification_id, state FROM events.esm_events WHERE notification_id <= %s"
            " ORDER BY 1",
            (events_before[-1]["notification_id"],),
        )
        == events_before
    )


def test_the_admin_api_erases_a_participant_enrolled_through_the_api(
    client: TestClient, container: Container
) -> None:
    from tests.integration.audit_flow import definition
    from tests.support.system import running_projector

    owner = uuid4()

    def bearer(account: Any, *roles: str) -> dict[str, str]:
        token = container.tokens.encode(container.tokens.issue(account, roles, "access"))
        return {"Authorization": f"Bearer {token}"}

    researcher = bearer(owner, "researcher")
    email = f"api-erase-{uuid4().hex[:10]}@example.org"
    with running_projector(container, poll_interval=0.05):
        created = client.post(
            "/campaigns", json=definition(start_clock().now.date()), headers=researcher
        )
        assert created.status_code == 201, created.text
        campaign_id = created.json()["id"]
        enrolled = client.post(
            f"/campaigns/{campaign_id}/participants",
            json={"email": email},
            headers={**researcher, "Idempotency-Key": uuid4().hex},
        )
        assert enrolled.status_code == 201, enrolled.text

        url = "/admin/privacy/erase"
        assert client.post(url, json={"email": email}).status_code == 401
        assert client.post(url, json={"email": email}, headers=researcher).status_code == 403
        admin = bearer(uuid4(), "admin")
        assert client.post(url, json={"email": "nope"}, headers=admin).status_code == 422
        response = client.post(url, json={"email": email}, headers=admin)
        assert response.status_code == 200, response.text
        assert response.json()["key_deleted"] is True
        assert client.post(url, json={"email": email}, headers=admin).json()["key_deleted"] is False

        assert places_holding(container, email) == []
        history = client.get(f"/campaigns/{campaign_id}/history", headers=researcher).json()
        enrolled_events = [e for e in history["events"] if e["type"] == "Enrolled"]
        assert [e["data"]["sealed_email"] for e in enrolled_events] == ["[erased]"]
        verify = client.get(f"/campaigns/{campaign_id}/verify", headers=researcher).json()
        assert verify["ok"] is True, verify

        again = client.post(
            f"/campaigns/{campaign_id}/participants", json={"email": email}, headers=researcher
        )
        assert again.status_code == 409, again.text
        # The address may sign up again (hostile trial: an erased email could never register
        # again): a new account, keyed by the next generation of the address's subject id.
        register = {"email": email, "password": "correct horse battery"}
        fresh = client.post("/auth/register", json=register)
        assert fresh.status_code == 201, fresh.text
        assert fresh.json()["id"] != response.json()["subject_id"]
