"""What the researcher API showed at an instant equals the replay from events at that
instant, for random instants during a scripted campaign (hypothesis)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infrastructure.bootstrap import Container
from infrastructure.postgres.projector import Projector
from tests.integration.audit_flow import ScriptedCampaign, definition, start_clock
from tests.support.system import running_projector


@dataclass
class Snapshot:
    taken_at: datetime
    """After the step's events were projected; the API did not change until `until`."""
    until: datetime
    campaign: dict[str, Any]
    participants: list[dict[str, Any]]
    prompts: list[dict[str, Any]]


def normalise(value: Any) -> Any:
    if isinstance(value, str) and len(value) >= 19 and value[10:11] == "T":
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise(v) for v in value]
    return value


def shown(api_item: dict[str, Any], replayed: dict[str, Any]) -> tuple[Any, Any]:
    """The API item and the replayed item, restricted to the fields the API shows."""
    common = sorted(api_item)
    missing = [k for k in common if k not in replayed]
    assert not missing, f"the replay lacks {missing}"
    return (
        {k: normalise(api_item[k]) for k in common},
        {k: normalise(replayed[k]) for k in common},
    )


@pytest.fixture(scope="module")
def timeline(
    client_module: TestClient, container: Container
) -> Iterator[tuple[UUID, list[Snapshot], dict[str, str]]]:
    client = client_module
    clock = start_clock()
    original = container.esm.clock
    container.esm.clock = clock
    owner = uuid4()
    token = container.tokens.encode(container.tokens.issue(owner, ("researcher",), "access"))
    headers = {"Authorization": f"Bearer {token}"}
    flow = ScriptedCampaign(container, clock, owner_id=owner)
    snapshots: list[Snapshot] = []

    def create() -> None:
        response = client.post("/campaigns", json=definition(clock.now.date()), headers=headers)
        assert response.status_code == 201, response.text
        flow.campaign_id = UUID(response.json()["id"])

    def enroll(name: str) -> Callable[[], None]:
        def step() -> None:
            email = f"{name}-{uuid4().hex[:8]}@example.com"
            response = client.post(
                f"/campaigns/{flow.campaign_id}/participants",
                json={"email": email},
                headers=headers,
            )
            assert response.status_code == 201, response.text
            flow.participants[email] = UUID(response.json()["id"])

        return step

    def send_all() -> None:
        clock.advance(hours=2, minutes=1)
        for email in flow.participants:
            flow.send_due(email)

    def answer_first() -> None:
        clock.advance(minutes=4)
        first = next(iter(flow.participants))
        sent = [
            p for p in flow.prompts_of(first) if container.esm.repository.get(p).status == "sent"
        ]
        flow.answer(sent[0], 6)

    def withdraw_last() -> None:
        flow.withdraw(list(flow.participants)[-1])

    def expire_overdue() -> None:
        clock.advance(hours=2)
        for email in flow.participants:
            for prompt_id in flow.prompts_of(email):
                container.esm.expire_prompt(prompt_id)

    steps: list[Callable[[], None]] = [
        create,
        lambda: flow.status("launch"),
        enroll("ann"),
        enroll("bob"),
        send_all,
        answer_first,
        withdraw_last,
        lambda: flow.status("pause"),
        expire_overdue,
        lambda: flow.status("resume"),
    ]
    try:
        with running_projector(container, poll_interval=0.05) as projector:
            run(steps, snapshots, flow, client, headers, container, projector)
        yield flow.campaign_id, snapshots, headers  # type: ignore[misc]
    finally:
        container.esm.clock = original


def settle(container: Container, projector: Projector, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while any(lag.lag for lag in projector.status()):
        assert time.monotonic() < deadline, "projections did not catch up"
        time.sleep(0.02)


def run(
    steps: list[Callable[[], None]],
    snapshots: list[Snapshot],
    flow: ScriptedCampaign,
    client: TestClient,
    headers: dict[str, str],
    container: Container,
    projector: Projector,
) -> None:
    for step in steps:
        if snapshots:
            snapshots[-1].until = datetime.now(UTC)
        step()
        settle(container, projector)
        taken = datetime.now(UTC)
        base = f"/campaigns/{flow.campaign_id}"
        campaign = client.get(base, headers=headers).json()
        participants = client.get(f"{base}/participants", headers=headers).json()
        prompts = client.get(f"{base}/prompts", headers=headers).json()
        snapshots.append(
            Snapshot(
                taken,
                taken + timedelta(hours=1),
                campaign,
                participants["participants"],
                prompts["prompts"],
            )
        )


@pytest.fixture(scope="module")
def client_module(api):  # type: ignore[no-untyped-def]
    with TestClient(api) as test_client:
        yield test_client


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_replay_at_a_random_instant_equals_what_the_api_showed_then(
    client_module: TestClient,
    timeline: tuple[UUID, list[Snapshot], dict[str, str]],
    data: st.DataObject,
) -> None:
    campaign_id, snapshots, headers = timeline
    snapshot = data.draw(st.sampled_from(snapshots))
    fraction = data.draw(st.floats(0, 1, exclude_max=True))
    instant = snapshot.taken_at + (snapshot.until - snapshot.taken_at) * fraction
    response = client_module.get(
        f"/campaigns/{campaign_id}/state",
        params={"as_of": instant.isoformat()},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    state = response.json()

    api_campaign, replayed_campaign = shown(snapshot.campaign, state["campaign"])
    assert replayed_campaign == api_campaign

    replayed_people = {p["id"]: p for p in state["participants"]}
    assert sorted(replayed_people) == sorted(p["id"] for p in snapshot.participants)
    for person in snapshot.participants:
        api_item, replayed = shown(person, replayed_people[person["id"]])
        assert replayed == api_item

    replayed_prompts = {p["id"]: p for p in state["prompts"]}
    assert sorted(replayed_prompts) == sorted(p["id"] for p in snapshot.prompts)
    for prompt in snapshot.prompts:
        api_item, replayed = shown(prompt, replayed_prompts[prompt["id"]])
        assert replayed == api_item


def test_the_timeline_covers_every_lifecycle_stage(
    timeline: tuple[UUID, list[Snapshot], dict[str, str]],
) -> None:
    _, snapshots, _ = timeline
    statuses = {s.campaign["status"] for s in snapshots}
    assert statuses == {"draft", "active", "paused"}
    prompt_statuses = {p["status"] for s in snapshots for p in s.prompts}
    assert {"scheduled", "sent", "answered", "expired", "cancelled"} <= prompt_statuses
