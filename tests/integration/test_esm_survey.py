"""Every submission rule of the participant's link, in JSON and in HTML."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient

from application.esm.tokens import new_token
from infrastructure.bootstrap import Container
from tests.support.esm import VALID_ANSWERS, FakeClock, SentPrompt, controlled, send_one
from tests.support.mailer import RecordingMailer

JSON = {"Accept": "application/json"}
START = datetime(2026, 6, 10, 5, 0, tzinfo=UTC)


@pytest.fixture
def sent(client: TestClient) -> Iterator[tuple[TestClient, Container, FakeClock, SentPrompt]]:
    container: Container = client.app.state.container  # type: ignore[attr-defined]
    clock = FakeClock(START)
    with controlled(container, clock) as mailer:
        yield client, container, clock, send_one(container, clock, mailer)


def _nonce(html: str) -> str:
    match = re.search(r'name="_nonce" value="([^"]+)"', html)
    assert match, "the form carries a nonce"
    return match.group(1)


def test_the_email_has_text_html_and_the_prompt_id(client: TestClient) -> None:
    container: Container = client.app.state.container  # type: ignore[attr-defined]
    clock = FakeClock(START)
    with controlled(container, clock) as mailer:
        prompt = send_one(container, clock, mailer)
    mail = mailer.to(prompt.email)[0]
    assert mail.custom_args["prompt_id"] == str(prompt.prompt_id)
    assert f"http://testserver/s/{prompt.token}" in mail.text
    assert len(prompt.token) >= 43  # >= 128 random bits after the id prefix
    stored = container.esm.get_or_none(prompt.prompt_id)
    assert prompt.token not in repr(stored.__dict__)  # type: ignore[union-attr]


def test_get_returns_the_questions_as_json(sent) -> None:  # type: ignore[no-untyped-def]
    client, _, _, prompt = sent
    response = client.get(f"/s/{prompt.token}", headers=JSON)
    assert response.status_code == 200
    body = response.json()
    assert body["campaign"] == "Daily mood"
    assert [q["id"] for q in body["questions"]][:2] == ["mood", "energy"]
    assert body["deadline"]


def test_get_renders_an_accessible_form(sent) -> None:  # type: ignore[no-untyped-def]
    client, _, _, prompt = sent
    response = client.get(f"/s/{prompt.token}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert '<meta name="viewport"' in html and '<html lang="en">' in html
    assert "<legend>How is your mood?" in html
    assert '<label class="q" for="in-energy">' in html
    # Works without JavaScript: the slider's answer is a plain named field, empty until set;
    # the one inline script (slider enhancement) runs only because the CSP names its hash.
    assert 'id="in-energy" name="energy"' in html and 'value=""' in html
    csp = response.headers["content-security-policy"]
    assert "script-src 'sha256-" in csp and "unsafe-inline" not in csp.split("script-src")[1]
    assert response.headers["x-frame-options"] == "DENY"


def test_json_answers_are_accepted_once_then_409(sent) -> None:  # type: ignore[no-untyped-def]
    client, _, clock, prompt = sent
    first = client.post(f"/s/{prompt.token}", json={"answers": VALID_ANSWERS})
    assert first.status_code == 201, first.text
    answered_at = datetime.fromisoformat(first.json()["answered_at"].replace("Z", "+00:00"))
    assert answered_at == clock()
    again = client.post(f"/s/{prompt.token}", json={"answers": VALID_ANSWERS})
    assert again.status_code == 409
    assert "already been answered" in again.json()["detail"]
    assert client.get(f"/s/{prompt.token}").status_code == 409


def test_answers_after_the_deadline_are_refused_with_410(sent) -> None:  # type: ignore[no-untyped-def]
    client, _, clock, prompt = sent
    clock.advance(minutes=61)
    response = client.post(f"/s/{prompt.token}", json={"answers": VALID_ANSWERS})
    assert response.status_code == 410
    page = client.get(f"/s/{prompt.token}")
    assert page.status_code == 410
    assert "closed" in page.text


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"mood": 9}, "mood"),
        ({"energy": 57}, "energy"),
        ({"company": "strangers"}, "company"),
        ({"activities": ["work", "work"]}, "activities"),
        ({"sleep": 30}, "sleep"),
        ({"note": "x" * 201}, "note"),
        ({"mood": None}, "mood"),
        ({"colour": "blue"}, "colour"),
        ({"note": "lone \ud800 surrogate"}, "note"),
    ],
)
def test_invalid_answers_are_a_422_naming_the_question(sent, change, field) -> None:  # type: ignore[no-untyped-def]
    client, _, _, prompt = sent
    answers = {**VALID_ANSWERS, **change}
    response = client.post(
        f"/s/{prompt.token}",
        content=json.dumps({"answers": answers}),  # ASCII escapes, as a JSON client sends
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert repr(field) in response.json()["detail"]
    assert client.post(f"/s/{prompt.token}", json={"answers": VALID_ANSWERS}).status_code == 201


def test_unknown_or_forged_tokens_are_404(sent) -> None:  # type: ignore[no-untyped-def]
    client, _, _, prompt = sent
    assert client.get("/s/nonsense", headers=JSON).status_code == 404
    forged = new_token(prompt.prompt_id)
    assert client.post(f"/s/{forged}", json={"answers": VALID_ANSWERS}).status_code == 404
    unknown = client.get(f"/s/{new_token(uuid4())}")
    assert unknown.status_code == 404
    assert "not valid" in unknown.text


def test_form_submission_gives_a_thank_you_page(sent) -> None:  # type: ignore[no-untyped-def]
    client, container, _, prompt = sent
    nonce = _nonce(client.get(f"/s/{prompt.token}").text)
    form = {
        "_nonce": nonce,
        "mood": "4",
        "energy": "55",
        "company": "friends",
        "activities": ["rest", "sport"],
        "sleep": "7.5",
        "note": "",
    }
    response = client.post(f"/s/{prompt.token}", data=form)
    assert response.status_code == 201, response.text
    assert "Thank you" in response.text
    again = client.post(f"/s/{prompt.token}", data=form)
    assert again.status_code == 409
    assert "Already answered" in again.text
    answered = container.esm.get_or_none(prompt.prompt_id)
    assert answered.answers["activities"] == ["rest", "sport"]  # type: ignore[union-attr]


def test_invalid_form_is_shown_again_with_the_question_named(sent) -> None:  # type: ignore[no-untyped-def]
    client, _, _, prompt = sent
    nonce = _nonce(client.get(f"/s/{prompt.token}").text)
    response = client.post(
        f"/s/{prompt.token}",
        data={"_nonce": nonce, "mood": "4", "energy": "55", "sleep": "7"},
    )
    assert response.status_code == 422
    assert 'role="alert"' in response.text
    assert "company" in response.text and 'aria-invalid="true"' in response.text
    assert 'value="4" checked' in response.text  # what was entered is kept


def test_form_without_a_valid_nonce_or_from_another_origin_is_refused(sent) -> None:  # type: ignore[no-untyped-def]
    client, _, _, prompt = sent
    form = {"mood": "4", "energy": "55", "company": "alone", "sleep": "7"}
    assert client.post(f"/s/{prompt.token}", data=form).status_code == 403
    nonce = _nonce(client.get(f"/s/{prompt.token}").text)
    cross = client.post(
        f"/s/{prompt.token}",
        data={**form, "_nonce": nonce},
        headers={"Origin": "https://evil.example"},
    )
    assert cross.status_code == 403
    same = client.post(
        f"/s/{prompt.token}",
        data={**form, "_nonce": nonce},
        headers={"Origin": "http://testserver"},
    )
    assert same.status_code == 201


def test_opening_starts_the_completion_window(sent) -> None:  # type: ignore[no-untyped-def]
    client, _, clock, prompt = sent
    clock.advance(minutes=50)
    assert client.get(f"/s/{prompt.token}", headers=JSON).status_code == 200
    clock.advance(minutes=14)  # past the 60-minute link expiry, inside 15 minutes of opening
    assert client.post(f"/s/{prompt.token}", json={"answers": VALID_ANSWERS}).status_code == 201


def test_expiry_tells_not_opened_from_not_finished(client: TestClient) -> None:
    container: Container = client.app.state.container  # type: ignore[attr-defined]
    clock = FakeClock(START)
    with controlled(container, clock) as mailer:
        unopened = send_one(container, clock, mailer)
        opened = send_one(container, clock, RecordingMailer())
        clock.set(container.esm.get_or_none(opened.prompt_id).sent_at)  # type: ignore[union-attr]
        client.get(f"/s/{opened.token}")
        clock.advance(hours=3)
        assert container.esm.expire_prompt(unopened.prompt_id) == "expired"
        assert container.esm.expire_prompt(opened.prompt_id) == "expired"
        assert container.esm.expire_prompt(opened.prompt_id) == "skipped"
    history = [type(e).__name__ for e in container.esm.events.get(opened.prompt_id)]
    assert history[-1] == "Expired"
    reasons = {
        p.prompt_id: list(container.esm.events.get(p.prompt_id))[-1].reason  # type: ignore[attr-defined]
        for p in (unopened, opened)
    }
    assert reasons == {unopened.prompt_id: "not_opened", opened.prompt_id: "not_finished"}


def test_racing_submissions_record_one_answer_and_refuse_the_rest_with_409(sent) -> None:  # type: ignore[no-untyped-def]
    import threading

    from domain.esm.prompt import AlreadyAnswered

    _, container, _, prompt = sent
    gate = threading.Barrier(4)
    outcomes: list[str] = []

    def submit() -> None:
        gate.wait()
        try:
            container.esm.answer(prompt.token, VALID_ANSWERS)
            outcomes.append("answered")
        except AlreadyAnswered:
            outcomes.append("409")

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["409", "409", "409", "answered"]
    kinds = [type(e).__name__ for e in container.esm.events.get(prompt.prompt_id)]
    assert kinds.count("Answered") == 1


def test_a_required_slider_left_unset_is_an_error_on_the_form_not_its_midpoint(sent) -> None:  # type: ignore[no-untyped-def]
    """Regression (#14 item 6): without JavaScript the slider's field is empty until the
    participant types a value; sent empty, a required slider is an error shown on the form
    (linked from the summary, the field marked invalid and still empty), never 50."""
    client, container, _, prompt = sent
    page = client.get(f"/s/{prompt.token}").text
    field = re.search(r'<input type="number"[^>]*name="energy"[^>]*>', page)
    assert field and 'value=""' in field.group(0)  # starts unset
    assert not re.search(r'<input[^>]*type="range"[^>]*name=', page)  # the bar posts nothing
    form = {"_nonce": _nonce(page), "mood": "4", "energy": "", "company": "alone", "sleep": "7"}
    response = client.post(f"/s/{prompt.token}", data=form)
    assert response.status_code == 422
    assert '<a href="#q-energy">Energy: an answer is required</a>' in response.text
    assert 'id="err-energy">an answer is required' in response.text
    again = re.search(r'<input type="number"[^>]*name="energy"[^>]*>', response.text)
    assert again and 'value=""' in again.group(0) and 'aria-invalid="true"' in again.group(0)
    assert container.esm.get_or_none(prompt.prompt_id).status == "sent"  # type: ignore[union-attr]
    form["energy"] = "55"
    form["_nonce"] = _nonce(response.text)
    assert client.post(f"/s/{prompt.token}", data=form).status_code == 201


def test_an_optional_slider_left_unset_is_recorded_as_no_answer(client: TestClient) -> None:
    container: Container = client.app.state.container  # type: ignore[attr-defined]
    clock = FakeClock(START)
    questions = [
        {"id": "mood", "type": "likert", "text": "How is your mood?", "points": 5},
        {"id": "energy", "type": "slider", "text": "Energy", "required": False},
    ]
    with controlled(container, clock) as mailer:
        prompt = send_one(container, clock, mailer, questionnaire={"questions": questions})
        page = client.get(f"/s/{prompt.token}").text
        form = {"_nonce": _nonce(page), "mood": "3", "energy": ""}
        assert client.post(f"/s/{prompt.token}", data=form).status_code == 201
    answered = container.esm.get_or_none(prompt.prompt_id)
    assert answered.answers == {"mood": 3}  # type: ignore[union-attr]  # not {"energy": 50}
