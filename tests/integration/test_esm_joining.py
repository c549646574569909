"""Self-enrollment with consent: the public join page, double opt-in, no way to learn who is
enrolled, limits, and the protections of the participant pages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from domain.esm.enrollment import Enrollment
from tests.support.esm import (
    System,
    api_system,
    definition,
    esm_head,
    researcher_headers,
    wait_read,
)
from tests.support.joining import (
    CONSENT,
    ask_to_join,
    confirm,
    deliver_confirmations,
    join_path,
    link_in,
    new_email,
    nonce_of,
    open_campaign,
    participant_of,
    path_of,
)

MORNING = datetime(2026, 6, 10, 6, 0, tzinfo=UTC)


@pytest.fixture
def system(client: TestClient) -> Iterator[System]:
    with api_system(client, MORNING) as system:
        yield system


def test_opening_self_enrollment_shows_a_join_url_and_a_versioned_consent(system) -> None:  # type: ignore[no-untyped-def]
    client, container, _, _ = system
    _, headers = researcher_headers(container)
    campaign = open_campaign(client, headers, MORNING.date(), launch=False)
    assert campaign["join_url"] == f"http://testserver/join/{campaign['join_code']}"
    assert campaign["self_enrollment"]["consent_version"] == 1
    url = f"/campaigns/{campaign['id']}"
    reworded = client.patch(
        url, json={"self_enrollment": {"consent_text": "New words."}}, headers=headers
    ).json()
    assert reworded["self_enrollment"]["consent_version"] == 2
    assert reworded["join_code"] == campaign["join_code"], "editing keeps the link"
    client.post(f"{url}/launch", headers=headers)
    while_active = client.patch(
        url, json={"self_enrollment": {"max_participants": 50}}, headers=headers
    )
    assert while_active.status_code == 200, while_active.text
    assert while_active.json()["self_enrollment"]["max_participants"] == 50
    other_edit = client.patch(url, json={"name": "No"}, headers=headers)
    assert other_edit.status_code == 409
    rotated = client.patch(url, json={"rotate_join_code": True}, headers=headers).json()
    assert rotated["join_code"] != campaign["join_code"]
    assert client.get(join_path(campaign)).status_code == 404, "the old link stops working"


def test_opening_without_a_consent_text_is_a_422(system) -> None:  # type: ignore[no-untyped-def]
    client, container, _, _ = system
    _, headers = researcher_headers(container)
    created = client.post("/campaigns", json=definition(MORNING.date()), headers=headers).json()
    response = client.patch(
        f"/campaigns/{created['id']}", json={"self_enrollment": {"open": True}}, headers=headers
    )
    assert response.status_code == 422
    assert "consent_text" in response.json()["detail"]


def test_the_join_page_works_without_javascript_and_carries_strict_headers(system) -> None:  # type: ignore[no-untyped-def]
    client, container, _, _ = system
    _, headers = researcher_headers(container)
    campaign = open_campaign(client, headers, MORNING.date())
    page = client.get(join_path(campaign))
    assert page.status_code == 200
    html = page.text
    assert CONSENT in html and "A week of moods." in html
    assert 'name="email"' in html and 'type="checkbox"' in html and 'name="consent"' in html
    assert '<label for="email">Email</label>' in html
    assert 'value="Europe/Warsaw" selected' in html, "the campaign zone is the default"
    csp = page.headers["content-security-policy"]
    assert "script-src 'nonce-" in csp and "frame-ancestors 'none'" in csp
    assert page.headers["cache-control"] == "no-store"
    script_nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{script_nonce}">' in html


def test_double_opt_in_plans_nothing_until_the_email_link_is_followed(system) -> None:  # type: ignore[no-untyped-def]
    client, container, _, mailer = system
    _, headers = researcher_headers(container)
    campaign = open_campaign(client, headers, MORNING.date())
    email = new_email()
    response = ask_to_join(client, campaign, email, timezone="America/New_York")
    assert response.status_code == 202, response.text
    assert "Check your inbox" in response.text and email not in response.text
    participant = participant_of(container, campaign["id"], email)
    wait_read(container, esm_head(container))
    listed = client.get(f"/campaigns/{campaign['id']}/participants", headers=headers).json()
    row = next(p for p in listed["participants"] if p["id"] == str(participant))
    assert (row["status"], row["source"], row["consent_version"]) == ("pending", "self", 1)
    assert row["timezone"] == "America/New_York"
    prompts = client.get(f"/campaigns/{campaign['id']}/prompts", headers=headers).json()
    assert prompts["prompts"] == [], "no prompt before confirmation"

    assert deliver_confirmations(container, mailer, campaign["id"]) == 1
    assert deliver_confirmations(container, mailer, campaign["id"]) == 0, "emailed once"
    mail = mailer.to(email)[-1]
    assert "confirm" in mail.subject.lower()
    confirmed = confirm(client, link_in(mail.text, "/join/confirm/"))
    assert confirmed.status_code == 200 and "You are in!" in confirmed.text
    wait_read(container, esm_head(container))
    prompts = client.get(f"/campaigns/{campaign['id']}/prompts", headers=headers).json()
    assert prompts["prompts"], "confirmed: the first days are planned"
    enrollment = container.esm.get_or_none(participant)
    assert isinstance(enrollment, Enrollment) and enrollment.status == "active"
    names = [type(e).__name__ for e in container.esm.repository.get(participant).collect_events()]
    assert names == []  # nothing pending on a fresh load
    history = client.get(f"/campaigns/{campaign['id']}/history", headers=headers).json()
    kinds = [e["type"] for e in history["events"] if e["aggregate_id"] == str(participant)]
    assert kinds[:4] == [
        "JoinRequested",
        "Consented",
        "ConfirmationRequested",
        "ConfirmationEmailed",
    ]
    assert "Confirmed" in kinds
    consent = next(e for e in history["events"] if e["type"] == "Consented")
    assert consent["data"]["consent_version"] == 1 and len(consent["data"]["consent_sha256"]) == 64
    assert email not in str(history), "the email is sealed"
    again = client.get(path_of(link_in(mail.text, "/join/confirm/")))
    assert "already taking part" in again.text and "/p/" in again.text


def test_nobody_learns_whether_an_address_is_already_enrolled(system) -> None:  # type: ignore[no-untyped-def]
    client, container, _, mailer = system
    _, headers = researcher_headers(container)
    campaign = open_campaign(client, headers, MORNING.date())
    enrolled = new_email()
    client.post(
        f"/campaigns/{campaign['id']}/participants", json={"email": enrolled}, headers=headers
    )
    stranger = new_email()
    first = ask_to_join(client, campaign, enrolled)
    second = ask_to_join(client, campaign, stranger)
    assert (first.status_code, second.status_code) == (202, 202)
    assert first.text == second.text
    deliver_confirmations(container, mailer, campaign["id"])
    assert "already taking part" in mailer.to(enrolled)[-1].subject
    assert "/p/" in mailer.to(enrolled)[-1].text
    assert "confirm" in mailer.to(stranger)[-1].subject.lower()


def test_confirmation_emails_are_limited_per_address_a_day(system) -> None:  # type: ignore[no-untyped-def]
    client, container, _, mailer = system
    _, headers = researcher_headers(container)
    campaign = open_campaign(client, headers, MORNING.date())
    email = new_email()
    for _ in range(5):
        assert ask_to_join(client, campaign, email).status_code == 202
    assert deliver_confirmations(container, mailer, campaign["id"]) == 3


def test_wrong_input_is_shown_again_with_a_422(system) -> None:  # type: ignore[no-untyped-def]
    client, container, _, _ = system
    _, headers = researcher_headers(container)
    campaign = open_campaign(client, headers, MORNING.date(), ask_window=True)
    no_consent = ask_to_join(client, campaign, new_email(), consent="")
    assert no_consent.status_code == 422 and "consent" in no_consent.text
    assert 'role="alert"' in no_consent.text
    bad_email = ask_to_join(client, campaign, "not-an-address")
    assert bad_email.status_code == 422 and 'value="not-an-address"' in bad_email.text
    bad_zone = ask_to_join(client, campaign, new_email(), timezone="Mars/Olympus")
    assert bad_zone.status_code == 422
    half_window = ask_to_join(client, campaign, new_email(), window_start="08:00")
    assert half_window.status_code == 422
    hostile = ask_to_join(client, campaign, '"><script>alert(1)</script>')
    assert hostile.status_code == 422 and "<script>alert(1)" not in hostile.text


def test_forged_nonce_or_another_origin_is_refused_with_403(system) -> None:  # type: ignore[no-untyped-def]
    client, container, _, _ = system
    _, headers = researcher_headers(container)
    campaign = open_campaign(client, headers, MORNING.date())
    form = {"email": new_email(), "timezone": "UTC", "consent": "yes", "_nonce": "1.abc"}
    assert client.post(join_path(campaign), data=form).status_code == 403
    page = client.get(join_path(campaign))
    form["_nonce"] = nonce_of(page.text)
    evil = client.post(join_path(campaign), data=form, headers={"Origin": "https://evil.example"})
    assert evil.status_code == 403


def test_a_closed_full_or_ended_study_says_so(system) -> None:  # type: ignore[no-untyped-def]
    client, container, _clock, mailer = system
    _, headers = researcher_headers(container)
    campaign = open_campaign(client, headers, MORNING.date(), max_participants=1)
    first = new_email()
    ask_to_join(client, campaign, first)
    deliver_confirmations(container, mailer, campaign["id"])
    confirm(client, link_in(mailer.to(first)[-1].text, "/join/confirm/"))
    wait_read(container, esm_head(container))
    full = client.get(join_path(campaign))
    assert "all the participants it needs" in full.text and 'name="email"' not in full.text
    url = f"/campaigns/{campaign['id']}"
    closing = (MORNING - timedelta(hours=1)).isoformat()
    client.patch(
        url,
        json={"self_enrollment": {"max_participants": None, "closes_at": closing}},
        headers=headers,
    )
    closed = client.get(join_path(campaign))
    assert "closed" in closed.text
    late = client.post(
        join_path(campaign),
        data={
            "email": new_email(),
            "consent": "yes",
            "_nonce": nonce_of(open_form(client, headers, url)),
        },
    )
    assert late.status_code == 410
    client.patch(url, json={"self_enrollment": {"open": False, "closes_at": None}}, headers=headers)
    assert "not taking new participants" in client.get(join_path(campaign)).text
    assert client.get("/join/nonsense-code-1").status_code == 404
    assert client.get("/join/%3Cscript%3E").status_code == 404


def open_form(client: TestClient, headers: dict[str, str], url: str) -> str:
    """A valid nonce for a closed page's form: the nonce does not depend on the page state."""
    code = client.get(url, headers=headers).json()["join_code"]
    client.patch(url, json={"self_enrollment": {"closes_at": None}}, headers=headers)
    html = client.get(f"/join/{code}").text
    client.patch(
        url,
        json={"self_enrollment": {"closes_at": (MORNING - timedelta(hours=1)).isoformat()}},
        headers=headers,
    )
    return html


def test_an_expired_or_forged_confirmation_link_is_refused(system) -> None:  # type: ignore[no-untyped-def]
    client, container, clock, mailer = system
    _, headers = researcher_headers(container)
    campaign = open_campaign(client, headers, MORNING.date())
    email = new_email()
    ask_to_join(client, campaign, email)
    deliver_confirmations(container, mailer, campaign["id"])
    link = link_in(mailer.to(email)[-1].text, "/join/confirm/")
    path = "/" + link.split("/", 3)[3]
    assert client.get(path[:-4] + "AAAA").status_code == 404
    clock.advance(days=8)
    assert client.get(path).status_code == 410
