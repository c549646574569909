"""The local mailbox has pages a person reads: a list, and a message view whose links are
clickable and whose content cannot run script in the page."""

from __future__ import annotations

from uuid import uuid4

from fastapi.testclient import TestClient

from tests.support.fakes import session_fakes_app


def test_the_mailbox_lists_messages_and_shows_one_with_clickable_links() -> None:
    client = TestClient(session_fakes_app())
    to = f"reader-{uuid4().hex[:8]}@example.com"
    sent = client.post(
        "/v3/mail/send",
        headers={"Authorization": "Bearer SG.test"},
        json={
            "personalizations": [{"to": [{"email": to}]}],
            "from": {"email": "no-reply@kairos.local"},
            "subject": "Casablanca is on Netflix <now>",
            "content": [
                {"type": "text/plain", "value": "Watch: https://watch.example/1?r=PL\nBye"},
                {
                    "type": "text/html",
                    "value": '<p><a href="https://watch.example/1">Watch</a></p>',
                },
            ],
        },
    )
    assert sent.status_code == 202, sent.text
    listing = client.get("/mailbox", params={"to": to}, headers={"Accept": "text/html"})
    assert listing.headers["content-type"].startswith("text/html")
    assert "Casablanca is on Netflix &lt;now&gt;" in listing.text and to in listing.text
    index = len(client.get("/_mailbox").json()) - 1
    assert f'href="/mailbox/{index}"' in listing.text
    message = client.get(f"/mailbox/{index}")
    assert '<a href="https://watch.example/1?r=PL">https://watch.example/1?r=PL</a>' in message.text
    assert "sandbox=" in message.text and "<script" not in message.text
    assert client.get("/mailbox/99999").status_code == 404
    assert isinstance(client.get("/_mailbox").json(), list)  # the JSON contract is unchanged
