"""Self-service from every prompt email: pause, change zone or window (re-planned, DST-
correct), withdraw, one-click unsubscribe, delete my data. Each is recorded as events."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient

from domain.esm.enrollment import Enrollment
from domain.esm.prompt import Prompt
from infrastructure.bootstrap import Container
from tests.support.esm import (
    VALID_ANSWERS,
    FakeClock,
    System,
    api_system,
    definition,
    esm_head,
    researcher_headers,
    token_from,
    wait_read,
)
from tests.support.joining import link_in, nonce_of, path_of
from tests.support.mailer import RecordingMailer

# 2026-03-28 10:00 UTC: Warsaw switches to summer time the next night (03-29 02:00).
BEFORE_DST = datetime(2026, 3, 28, 10, 0, tzinfo=UTC)
FIXED = {"kind": "fixed", "times": ["09:00", "13:00", "20:00"]}


@pytest.fixture
def system(client: TestClient) -> Iterator[System]:
    with api_system(client, BEFORE_DST) as system:
        yield system


def enrolled(
    client: TestClient, container: Container, clock: FakeClock, mailer: RecordingMailer
) -> dict[str, Any]:
    """A launched fixed-times campaign with one participant whose 13:00 prompt was sent."""
    _, headers = researcher_headers(container)
    body = definition(clock().date(), schedule=FIXED, end_date="2026-04-05")
    campaign = client.post("/campaigns", json=body, headers=headers).json()
    client.post(f"/campaigns/{campaign['id']}/launch", headers=headers)
    email = f"p-{uuid4().hex[:10]}@example.com"
    participant = client.post(
        f"/campaigns/{campaign['id']}/participants", json={"email": email}, headers=headers
    ).json()
    enrollment = container.esm.get_or_none(UUID(participant["id"]))
    first = container.esm.get_or_none(enrollment.prompt_ids[0])  # type: ignore[union-attr]
    clock.set(first.scheduled_at)  # type: ignore[union-attr]
    assert container.esm.send_prompt(first.id, mailer, container.settings.public_url) == "sent"  # type: ignore[union-attr]
    mail = mailer.to(email)[-1]
    return {
        "campaign": campaign["id"],
        "headers": headers,
        "participant": UUID(participant["id"]),
        "prompt": first.id,  # type: ignore[union-attr]
        "mail": mail,
        "manage": path_of(link_in(mail.text, "/p/")),
    }


def post(client: TestClient, path: str, action: str, **form: str) -> Any:
    page = client.get(path)
    assert page.status_code == 200, page.text
    return client.post(f"{path}/{action}", data={"_nonce": nonce_of(page.text), **form})


def scheduled(container: Container, participant: UUID) -> list[Prompt]:
    enrollment = container.esm.get_or_none(participant)
    prompts = [container.esm.get_or_none(i) for i in enrollment.prompt_ids]  # type: ignore[union-attr]
    return [p for p in prompts if isinstance(p, Prompt) and p.status == "scheduled"]


def hours_utc(container: Container, participant: UUID) -> list[tuple[str, int]]:
    moments = sorted(p.scheduled_at for p in scheduled(container, participant))
    return [(m.date().isoformat(), m.hour) for m in moments]


def test_every_prompt_email_carries_the_self_service_link_and_list_unsubscribe(system) -> None:  # type: ignore[no-untyped-def]
    client, container, clock, mailer = system
    s = enrolled(client, container, clock, mailer)
    assert s["mail"].headers["List-Unsubscribe"] == f"<http://testserver{s['manage']}/unsubscribe>"
    assert s["mail"].headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Manage your participation" in s["mail"].html
    page = client.get(s["manage"])
    assert page.status_code == 200 and "You are taking part" in page.text
    assert page.headers["cache-control"] == "no-store"
    assert client.get(s["manage"][:-3] + "xyz").status_code == 404


def test_pausing_cancels_the_prompts_of_the_pause_and_resuming_replans(system) -> None:  # type: ignore[no-untyped-def]
    client, container, clock, mailer = system
    s = enrolled(client, container, clock, mailer)
    before = scheduled(container, s["participant"])
    assert before
    paused = post(client, s["manage"], "pause", days="2")
    assert paused.status_code == 200 and "Paused until" in paused.text
    assert scheduled(container, s["participant"]) == []
    cancelled = container.esm.get_or_none(before[0].id)
    assert cancelled.status == "cancelled"  # type: ignore[union-attr]
    resumed = post(client, s["manage"], "resume")
    assert resumed.status_code == 200 and "resume" in resumed.text
    again = scheduled(container, s["participant"])
    assert again and {p.id for p in again}.isdisjoint({p.id for p in before})
    events = [
        type(e).__name__ for e in container.esm.repository.get(s["participant"])._pending_events
    ]  # type: ignore[attr-defined]
    assert events == []


def test_changing_the_time_zone_replans_future_prompts_across_the_dst_change(system) -> None:  # type: ignore[no-untyped-def]
    client, container, clock, mailer = system
    s = enrolled(client, container, clock, mailer)  # the 13:00 Warsaw prompt of 03-28 is sent
    changed = post(
        client,
        s["manage"],
        "preferences",
        timezone="America/New_York",
        window_start="",
        window_end="",
    )
    assert changed.status_code == 200, changed.text
    assert "new times" in changed.text
    enrollment = container.esm.get_or_none(s["participant"])
    assert isinstance(enrollment, Enrollment) and enrollment.timezone == "America/New_York"
    # It is 12:00 UTC = 08:00 in New York (UTC-4 since 03-08). 03-28 keeps its count: one
    # prompt was sent, two remain (09:00 and 13:00 New York); then 09:00, 13:00, 20:00 local.
    assert hours_utc(container, s["participant"]) == [
        ("2026-03-28", 13),
        ("2026-03-28", 17),
        ("2026-03-29", 13),
        ("2026-03-29", 17),
        ("2026-03-30", 0),
    ]
    back = post(
        client, s["manage"], "preferences", timezone="Europe/Warsaw", window_start="", window_end=""
    )
    assert back.status_code == 200
    # Back in Warsaw: 20:00 CET today (19 UTC), then summer time from 03-29 (UTC+2).
    assert hours_utc(container, s["participant"]) == [
        ("2026-03-28", 19),
        ("2026-03-29", 7),
        ("2026-03-29", 11),
        ("2026-03-29", 18),
    ]
    old = container.esm.get_or_none(s["prompt"])
    assert old.status == "sent", "a sent prompt stays as it was"  # type: ignore[union-attr]


def test_a_personal_window_too_short_is_refused_on_the_page(system) -> None:  # type: ignore[no-untyped-def]
    client, container, clock, mailer = system
    s = enrolled(client, container, clock, mailer)
    refused = post(
        client,
        s["manage"],
        "preferences",
        timezone="Europe/Warsaw",
        window_start="09:00",
        window_end="09:05",
    )
    assert refused.status_code == 422 and 'role="alert"' in refused.text
    bad_zone = post(
        client, s["manage"], "preferences", timezone="Nowhere/City", window_start="", window_end=""
    )
    assert bad_zone.status_code == 422


def test_withdrawing_needs_the_box_and_one_click_unsubscribe_withdraws_once(system) -> None:  # type: ignore[no-untyped-def]
    client, container, clock, mailer = system
    s = enrolled(client, container, clock, mailer)
    unticked = post(client, s["manage"], "withdraw")
    assert unticked.status_code == 422
    one_click = client.post(f"{s['manage']}/unsubscribe", data={"List-Unsubscribe": "One-Click"})
    assert one_click.status_code == 200
    assert (
        client.post(
            f"{s['manage']}/unsubscribe", data={"List-Unsubscribe": "One-Click"}
        ).status_code
        == 200
    )
    assert scheduled(container, s["participant"]) == []
    assert container.esm.get_or_none(s["participant"]).status == "withdrawn"  # type: ignore[union-attr]
    page = client.get(s["manage"])
    assert "You have withdrawn" in page.text
    scanner = client.get(f"{s['manage']}/unsubscribe")
    assert scanner.status_code == 200, "a GET changes nothing"


def test_deleting_my_data_erases_the_email_and_drops_my_answers(system) -> None:  # type: ignore[no-untyped-def]
    client, container, clock, mailer = system
    s = enrolled(client, container, clock, mailer)
    token = token_from(s["mail"].text)
    assert client.post(f"/s/{token}", json={"answers": VALID_ANSWERS}).status_code == 201
    wait_read(container, esm_head(container))
    url = f"/campaigns/{s['campaign']}/responses"
    assert len(client.get(url, headers=s["headers"]).json()["responses"]) == 1
    erased = post(client, s["manage"], "erase", confirm="yes")
    assert erased.status_code == 200 and "erased" in erased.text
    wait_read(container, esm_head(container))
    assert client.get(url, headers=s["headers"]).json()["responses"] == []
    enrollment = container.esm.get_or_none(s["participant"])
    assert enrollment.erased and enrollment.status == "withdrawn"  # type: ignore[union-attr]
    assert container.esm.email_of(s["participant"]) is None
    assert container.vault.is_erased(enrollment.subject_id)  # type: ignore[union-attr]
    history = client.get(f"/campaigns/{s['campaign']}/history", headers=s["headers"]).json()
    assert any(e["type"] == "DataErased" for e in history["events"])
    assert "[erased]" in str(history)
    verify = client.get(f"/campaigns/{s['campaign']}/verify", headers=s["headers"]).json()
    assert verify["ok"], verify["differences"]


def test_a_form_from_another_site_is_refused(system) -> None:  # type: ignore[no-untyped-def]
    client, container, clock, mailer = system
    s = enrolled(client, container, clock, mailer)
    page = client.get(s["manage"])
    evil = client.post(
        f"{s['manage']}/withdraw",
        data={"_nonce": nonce_of(page.text), "confirm": "yes"},
        headers={"Origin": "https://evil.example"},
    )
    assert evil.status_code == 403
    assert container.esm.get_or_none(s["participant"]).status == "active"  # type: ignore[union-attr]
