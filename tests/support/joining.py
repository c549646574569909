"""Self-enrollment test helpers: open a campaign's join page, fill it in, follow the
confirmation email."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID, uuid4

from fastapi.testclient import TestClient

from infrastructure.bootstrap import Container
from tests.support.esm import definition, esm_head, wait_read
from tests.support.mailer import RecordingMailer

CONSENT = "I agree that my answers are used for this study, under a pseudonym."
NONCE = re.compile(r'name="_nonce" value="([^"]+)"')
LINK = re.compile(r"https?://[^\s\"<>]+")


def nonce_of(html: str) -> str:
    found = NONCE.search(html)
    assert found, "the page carries a form nonce"
    return found.group(1)


def open_campaign(
    client: TestClient, headers: dict[str, str], today: Any, launch: bool = True, **joining: Any
) -> dict[str, Any]:
    """A campaign (launched unless told otherwise) whose join page is open."""
    campaign = client.post("/campaigns", json=definition(today), headers=headers).json()
    settings = {"open": True, "consent_text": CONSENT, "information": "A week of moods."}
    settings.update(joining)
    patched = client.patch(
        f"/campaigns/{campaign['id']}", json={"self_enrollment": settings}, headers=headers
    )
    assert patched.status_code == 200, patched.text
    if launch:
        launched = client.post(f"/campaigns/{campaign['id']}/launch", headers=headers)
        assert launched.status_code == 200, launched.text
        return launched.json()
    return patched.json()  # type: ignore[no-any-return]


def join_path(campaign: dict[str, Any]) -> str:
    return "/join/" + str(campaign["join_code"])


def ask_to_join(client: TestClient, campaign: dict[str, Any], email: str, **fields: str) -> Any:
    page = client.get(join_path(campaign))
    assert page.status_code == 200, page.text
    form = {"email": email, "timezone": "Europe/Warsaw", "consent": "yes"}
    form.update(fields)
    form["_nonce"] = nonce_of(page.text)
    return client.post(join_path(campaign), data=form)


def new_email() -> str:
    return f"joiner-{uuid4().hex[:10]}@example.com"


def deliver_confirmations(container: Container, mailer: RecordingMailer, campaign_id: Any) -> int:
    """Runs the outbox task for every confirmation request not emailed yet (as the relay
    and a worker would)."""
    wait_read(container, esm_head(container))
    sent = 0
    for row in container.database.fetch_all(
        "SELECT id FROM read.esm_participants WHERE campaign_id = %s",
        (UUID(str(campaign_id)),),
    ):
        enrollment = container.esm.get_or_none(row["id"])
        for number in range(1, len(enrollment.confirmation_requests) + 1):  # type: ignore[union-attr]
            outcome = container.esm.send_confirmation(
                row["id"], number, mailer, container.settings.public_url
            )
            sent += outcome == "sent"
    return sent


def link_in(text: str, marker: str) -> str:
    for link in LINK.findall(text):
        if marker in link:
            return str(link)
    raise AssertionError(f"no {marker} link in the email")


def path_of(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def confirm(client: TestClient, link: str) -> Any:
    path = path_of(link)
    page = client.get(path)
    assert page.status_code == 200, page.text
    return client.post(path, data={"_nonce": nonce_of(page.text)})


def participant_of(container: Container, campaign_id: Any, email: str) -> UUID:
    from domain.esm.enrollment import enrollment_id_for

    return enrollment_id_for(UUID(str(campaign_id)), container.vault.subject_for(email))
