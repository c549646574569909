"""Branching and randomised order on the participant's page, through HTTP and the real event
store: the page works without JavaScript (hints, the server keeps only what the rules
show), the order is drawn once at the first open, recorded, and shown again on every view."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from domain.esm.logic import arrange
from infrastructure.bootstrap import Container
from tests.support.esm import FakeClock, SentPrompt, controlled, send_one

START = datetime(2026, 6, 10, 5, 0, tzinfo=UTC)
JSON = {"Accept": "application/json"}
QUESTIONNAIRE = {
    "randomize": True,
    "questions": [
        {"id": "company", "type": "single_choice", "text": "Who are you with?",
         "options": ["alone", "family", "friends", "colleagues"], "randomize": True},
        {"id": "who", "type": "text", "text": "Who exactly?",
         "show_if": {"question": "company", "in": ["family", "friends"]}},
        {"id": "mood", "type": "likert", "text": "How is your mood?", "points": 5},
        {"id": "why", "type": "text", "text": "Why so low?", "required": False,
         "show_if": {"question": "mood", "lt": 3}},
        {"id": "sleep", "type": "number", "text": "Hours slept", "min": 0, "max": 24},
    ],
}  # fmt: skip


@pytest.fixture
def sent(client: TestClient) -> Iterator[tuple[TestClient, Container, SentPrompt]]:
    container: Container = client.app.state.container  # type: ignore[attr-defined]
    clock = FakeClock(START)
    with controlled(container, clock) as mailer:
        yield client, container, send_one(container, clock, mailer, questionnaire=QUESTIONNAIRE)


def nonce(html: str) -> str:
    match = re.search(r'name="_nonce" value="([^"]+)"', html)
    assert match
    return match.group(1)


def opened_events(container: Container, prompt: SentPrompt) -> list[Any]:
    return [e for e in container.esm.events.get(prompt.prompt_id) if type(e).__name__ == "Opened"]


def test_the_order_is_drawn_at_the_first_open_recorded_and_shown_on_every_view(sent) -> None:  # type: ignore[no-untyped-def]
    client, container, prompt = sent
    first = client.get(f"/s/{prompt.token}", headers=JSON).json()["questions"]
    again = client.get(f"/s/{prompt.token}", headers=JSON).json()["questions"]
    (opened,) = opened_events(container, prompt)
    assert isinstance(opened.order_seed, int)
    campaign = container.esm.campaign_for(None, prompt.campaign_id)
    expected = arrange(campaign.questionnaire, opened.order_seed)
    assert [q["id"] for q in first] == [q["id"] for q in expected] == [q["id"] for q in again]
    company = next(q for q in first if q["id"] == "company")
    assert company["options"] == next(q for q in expected if q["id"] == "company")["options"]
    ids = [q["id"] for q in first]
    assert ids.index("company") + 1 == ids.index("who")  # kept with what depends on it
    html = client.get(f"/s/{prompt.token}").text
    positions = [html.index(f'id="q-{q["id"]}"') for q in expected]
    assert positions == sorted(positions)  # the page shows the recorded order too


def test_without_javascript_the_page_says_when_to_answer_and_the_server_applies_it(sent) -> None:  # type: ignore[no-untyped-def]
    client, container, prompt = sent
    response = client.get(f"/s/{prompt.token}")
    html = response.text
    assert "Answer this only if your answer to “Who are you with?” is one of" in html
    rule = re.search(r'id="q-who" data-q="who" data-type="text" data-show-if="([^"]+)"', html)
    assert rule and "&#34;question&#34;: &#34;company&#34;" in rule.group(1)
    assert '<form method="post" action="" novalidate data-logic>' in html
    csp = response.headers["content-security-policy"]
    assert csp.count("'sha256-") == 2 and "unsafe-inline" not in csp.split("script-src")[1]
    form = {"_nonce": nonce(html), "company": "friends", "mood": "4", "sleep": "7"}
    refused = client.post(f"/s/{prompt.token}", data=form)
    assert refused.status_code == 422  # `who` is shown for friends, and required
    assert '<a href="#q-who">Who exactly?: an answer is required</a>' in refused.text
    form = {**form, "_nonce": nonce(refused.text), "company": "alone", "who": "Ann", "why": "x"}
    assert client.post(f"/s/{prompt.token}", data=form).status_code == 201
    answered = container.esm.get_or_none(prompt.prompt_id)
    assert answered.answers == {"company": "alone", "mood": 4, "sleep": 7}  # type: ignore[union-attr]


def test_json_answers_follow_the_same_rules(sent) -> None:  # type: ignore[no-untyped-def]
    client, container, prompt = sent
    missing = client.post(
        f"/s/{prompt.token}", json={"answers": {"company": "family", "mood": 2, "sleep": 8}}
    )
    assert missing.status_code == 422 and "'who'" in missing.json()["detail"]
    answers = {"company": "family", "who": "my sister", "mood": 2, "why": "tired", "sleep": 8}
    assert client.post(f"/s/{prompt.token}", json={"answers": answers}).status_code == 201
    assert container.esm.get_or_none(prompt.prompt_id).answers == answers  # type: ignore[union-attr]
    assert opened_events(container, prompt) == []  # an app that never opened: no order drawn


def test_impossible_logic_is_a_422_when_the_campaign_is_defined(client: TestClient) -> None:
    from tests.support.esm import definition, researcher_headers

    container: Container = client.app.state.container  # type: ignore[attr-defined]
    _, headers = researcher_headers(container)
    questions = [dict(q) for q in QUESTIONNAIRE["questions"]]
    questions[0]["show_if"] = {"question": "mood", "gt": 2}  # looks forward: a cycle risk
    body = definition(START.date(), questionnaire={"questions": questions})
    response = client.post("/campaigns", json=body, headers=headers)
    assert response.status_code == 422
    assert (
        "question 'company': show_if refers to a later question ('mood')"
        in (response.json()["detail"])
    )
