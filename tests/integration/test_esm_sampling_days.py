"""Sampling days through HTTP and the real read models: a weekly schedule plans prompts only
on its weekdays (an off day is planned as a day without prompts, so planning moves on), and
the simulator, which runs the same scheduler, reports the burden of such a design."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient

from infrastructure.bootstrap import Container
from tests.support.esm import (
    FakeClock,
    controlled,
    definition,
    esm_head,
    researcher_headers,
    wait_read,
)
from tests.support.system import running_projector

WEDNESDAY = datetime(2026, 6, 10, 4, 0, tzinfo=UTC)
WEEKLY = {"kind": "fixed", "times": ["08:00", "14:00"], "days_of_week": ["wed", "sat"]}


@pytest.fixture
def system(client: TestClient) -> Iterator[tuple[TestClient, Container]]:
    container: Container = client.app.state.container  # type: ignore[attr-defined]
    with controlled(container, FakeClock(WEDNESDAY)), running_projector(container):
        yield client, container


def test_a_weekly_schedule_plans_prompts_only_on_its_weekdays(system) -> None:  # type: ignore[no-untyped-def]
    client, container = system
    _, headers = researcher_headers(container)
    body = definition(WEDNESDAY.date(), schedule=WEEKLY)
    created = client.post("/campaigns", json=body, headers=headers)
    assert created.status_code == 201, created.text
    assert created.json()["schedule"]["days_of_week"] == ["wed", "sat"]
    url = f"/campaigns/{created.json()['id']}"
    assert client.post(f"{url}/launch", headers=headers).status_code == 200
    email = f"weekly-{uuid4().hex[:8]}@example.com"
    enrolled = client.post(f"{url}/participants", json={"email": email}, headers=headers)
    assert enrolled.status_code == 201, enrolled.text
    wait_read(container, esm_head(container))
    prompts = client.get(f"{url}/prompts", headers=headers).json()["prompts"]
    assert sorted({p["day"] for p in prompts}) == ["2026-06-10"]  # Thursday planned empty
    assert len(prompts) == 2
    (participant,) = client.get(f"{url}/participants", headers=headers).json()["participants"]
    assert participant["planned_through"] == "2026-06-11"
    enrollment = container.esm.get_or_none(UUID(enrolled.json()["id"]))
    assert enrollment.planned_days == {"2026-06-10", "2026-06-11"}  # type: ignore[union-attr]


def test_the_simulator_counts_only_the_sampling_days(system) -> None:  # type: ignore[no-untyped-def]
    client, container = system
    _, headers = researcher_headers(container)
    body = definition(WEDNESDAY.date(), schedule=WEEKLY)  # 7 days: one Wednesday, one Saturday
    result = client.post("/campaigns/simulate", json={**body, "participants": 3}, headers=headers)
    assert result.status_code == 200, result.text
    report = result.json()
    assert report["prompts"] == 3 * 2 * 2
    busy = {d["date"] for d in report["calendar"]["days"] if d["prompts"]}
    assert busy == {date(2026, 6, 10).isoformat(), date(2026, 6, 13).isoformat()}


def test_a_schedule_that_never_samples_in_the_campaign_is_a_422(system) -> None:  # type: ignore[no-untyped-def]
    client, container = system
    _, headers = researcher_headers(container)
    schedule = {**WEEKLY, "days_of_week": ["mon"], "burst": {"on_days": 1, "off_days": 30}}
    body = definition(WEDNESDAY.date(), schedule=schedule)
    response = client.post("/campaigns", json=body, headers=headers)
    assert response.status_code == 422
    assert "the schedule samples no day from 2026-06-10 to 2026-06-16" in response.json()["detail"]
