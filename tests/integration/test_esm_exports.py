"""Compliance and response exports (JSON, wide CSV, Parquet) with pseudonyms only; the
campaign's aggregate index for the audit; webhook delivery events recorded once."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

from domain.esm.delivery import DeliveryOutcome
from infrastructure.bootstrap import Container
from tests.support.esm import (
    VALID_ANSWERS,
    FakeClock,
    controlled,
    definition,
    researcher_headers,
    token_from,
    wait_read,
)
from tests.support.system import running_projector

START = datetime(2026, 6, 10, 5, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def finished(api, container: Container) -> Iterator[tuple[TestClient, Container, dict, str]]:  # type: ignore[no-untyped-def]
    """Three participants: two answered (after 60 s and 180 s), one let the link expire."""
    clock = FakeClock(START)
    with (
        TestClient(api) as client,
        controlled(container, clock) as mailer,
        running_projector(container),
    ):
        _, headers = researcher_headers(container)
        body = definition(START.date(), schedule={"kind": "fixed", "times": ["08:00"]})
        campaign = client.post("/campaigns", json=body, headers=headers).json()
        url = f"/campaigns/{campaign['id']}"
        client.post(f"{url}/launch", headers=headers)
        emails = [f"{name}-{campaign['id'][:8]}@example.com" for name in ("a", "b", "c")]
        for email in emails:
            client.post(f"{url}/participants", json={"email": email}, headers=headers)
        prompts = client.get(f"{url}/prompts", headers=headers).json()["prompts"]
        today = [p for p in prompts if p["day"] == START.date().isoformat()]
        clock.set(datetime.fromisoformat(today[0]["scheduled_at"]))
        for prompt in today:
            container.esm.send_prompt(prompt["id"], mailer, "http://testserver")
        tokens = [token_from(mailer.to(email)[0].text) for email in emails]
        clock.advance(seconds=60)
        client.post(f"/s/{tokens[0]}", json={"answers": VALID_ANSWERS})
        clock.advance(seconds=120)
        client.post(f"/s/{tokens[1]}", json={"answers": {**VALID_ANSWERS, "sleep": 7}})
        clock.advance(hours=2)
        for prompt in today:
            container.esm.expire_prompt(prompt["id"])
        wait_read(container, container.esm.recorder.max_notification_id() or 0)
        yield client, container, {"url": url, "headers": headers, "emails": emails}, campaign["id"]


def test_compliance_counts_rates_and_median_latency(finished) -> None:  # type: ignore[no-untyped-def]
    client, _, ctx, _ = finished
    report = client.get(f"{ctx['url']}/compliance", headers=ctx["headers"]).json()
    assert report["totals"] == {
        "scheduled": 6,  # today's three and tomorrow's three (planned a day ahead)
        "sent": 3,
        "answered": 2,
        "expired": 1,
        "expired_not_opened": 1,
        "expired_not_finished": 0,
        "response_rate": pytest.approx(0.6667, abs=1e-4),
        "median_latency_seconds": 120.0,
    }
    rates = sorted(p["response_rate"] for p in report["participants"])
    assert rates == [0.0, 1.0, 1.0]
    assert all(email not in str(report) for email in ctx["emails"])


def test_campaign_counts_follow_the_prompts(finished) -> None:  # type: ignore[no-untyped-def]
    client, _, ctx, _ = finished
    counts = client.get(ctx["url"], headers=ctx["headers"]).json()["counts"]
    assert counts == {
        "participants": 3,
        "scheduled": 3,
        "sending": 0,
        "sent": 0,
        "answered": 2,
        "expired": 1,
        "cancelled": 0,
    }


def test_responses_export_as_json_csv_and_parquet(finished) -> None:  # type: ignore[no-untyped-def]
    client, _, ctx, _ = finished
    listed = client.get(f"{ctx['url']}/responses", headers=ctx["headers"]).json()["responses"]
    assert [r["answers"]["sleep"] for r in listed] == [7.5, 7]
    assert listed[0]["latency_seconds"] == 60.0

    exported = client.get(f"{ctx['url']}/responses?format=csv", headers=ctx["headers"])
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert len(rows) == 2
    assert list(rows[0])[-6:] == ["mood", "energy", "company", "activities", "sleep", "note"]
    assert rows[0]["activities"] == "rest" and rows[0]["note"] == ""
    assert [r["participant"] for r in rows] == [r["participant"] for r in listed]

    parquet = client.get(f"{ctx['url']}/responses?format=parquet", headers=ctx["headers"])
    table = pq.read_table(io.BytesIO(parquet.content))
    assert table.num_rows == 2
    assert table.column("sleep").to_pylist() == [7.5, 7.0]
    assert table.column("activities").to_pylist() == [["rest"], ["rest"]]
    for body in (exported.text, str(listed)):
        assert all(email not in body for email in ctx["emails"])


def test_a_campaign_lists_its_aggregates_from_the_events(finished) -> None:  # type: ignore[no-untyped-def]
    _, container, _, campaign_id = finished
    from uuid import UUID

    ids = container.esm.campaign_aggregate_ids(UUID(campaign_id))
    assert ids[0] == UUID(campaign_id)
    assert len(ids) == 1 + 3 + 6  # the campaign, three enrollments, six prompts


def test_provider_events_are_recorded_once_on_the_prompt(finished) -> None:  # type: ignore[no-untyped-def]
    client, container, ctx, _ = finished
    prompt = client.get(f"{ctx['url']}/prompts?status=expired", headers=ctx["headers"]).json()[
        "prompts"
    ][0]
    from uuid import UUID

    at = datetime(2026, 6, 10, 6, 0, 5, tzinfo=UTC)
    first = container.esm.record_email_delivery(
        UUID(prompt["id"]), DeliveryOutcome.DELIVERED, at, "msg-9"
    )
    again = container.esm.record_email_delivery(
        UUID(prompt["id"]), DeliveryOutcome.DELIVERED, at, "msg-9"
    )
    assert first > 0 and again == 0
    wait_read(container, first)
    shown = client.get(
        f"{ctx['url']}/prompts?participant={prompt['participant']}", headers=ctx["headers"]
    ).json()["prompts"][0]
    assert shown["delivery"] == "delivered"
