"""The participant's form in headless Chromium on a 390px-wide phone (regressions of the
hostile trial): a 7-point scale stays on one row, a slider starts unset (no answer until
touched, so "no answer" never reads as the midpoint) and shows its value once touched, and
the same form works with JavaScript switched off."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest

from infrastructure.bootstrap import Container
from interfaces.http.app import create_app
from tests.support.esm import FakeClock, controlled, launched_campaign, token_from
from tests.support.fakes import serve

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs the system Chromium at /usr/bin/chromium"
)
START = datetime(2026, 6, 10, 5, 0, tzinfo=UTC)
QUESTIONS = [
    {
        "id": "calm",
        "type": "likert",
        "text": "How calm do you feel?",
        "points": 7,
        "labels": ["not at all", "extremely"],
    },
    {
        "id": "energy",
        "type": "slider",
        "text": "Energy",
        "min": 0,
        "max": 100,
        "step": 1,
        "required": False,
    },
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield chromium
        chromium.close()


@contextmanager
def _link(container: Container) -> Iterator[tuple[str, Any]]:
    """Serves the API with a fresh participant's prompt link (campaign with QUESTIONS); the
    clock stands at the moment the prompt was sent."""
    clock = FakeClock(START)
    with controlled(container, clock) as mailer, serve(create_app(container)) as api_url:
        campaign_id = launched_campaign(container, clock, questionnaire={"questions": QUESTIONS})
        owner_id = container.esm.campaign_for(None, campaign_id).owner_id
        email = f"phone-{uuid4().hex[:10]}@example.com"
        participant_id, _ = container.esm.enroll(owner_id, campaign_id, email)
        prompt_id = container.esm.get_or_none(participant_id).prompt_ids[0]  # type: ignore[union-attr]
        clock.set(container.esm.get_or_none(prompt_id).scheduled_at)  # type: ignore[union-attr]
        assert container.esm.send_prompt(prompt_id, mailer, api_url) == "sent"
        yield f"{api_url}/s/{token_from(mailer.to(email)[-1].text)}", prompt_id


def _phone(browser: Any, javascript: bool = True) -> Any:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, java_script_enabled=javascript
    )
    return context.new_page()


def test_a_7_point_scale_stays_on_one_row_and_the_slider_starts_unset(
    container: Container, browser: Any
) -> None:
    with _link(container) as (link, prompt_id):
        page = _phone(browser)
        page.goto(link)
        tops = page.locator(".likert label").evaluate_all("(ls) => ls.map((l) => l.offsetTop)")
        assert len(tops) == 7 and len(set(tops)) == 1, tops
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        slider = page.get_by_role("slider", name="Energy")  # enhanced: the label names it
        assert slider.get_attribute("type") == "range"
        assert "not set yet" in page.locator("output").inner_text()
        page.get_by_label("4").check()
        page.get_by_role("button", name="Send my answers").click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == "Thank you!"
    answered = container.esm.get_or_none(prompt_id)
    assert answered.answers == {"calm": 4}  # type: ignore[union-attr]  # no slider answer


def test_a_touched_slider_shows_and_sends_its_value(container: Container, browser: Any) -> None:
    with _link(container) as (link, prompt_id):
        page = _phone(browser)
        page.goto(link)
        slider = page.get_by_role("slider", name="Energy")
        slider.focus()
        page.keyboard.press("ArrowRight")  # from the midpoint, 50 -> 51
        assert page.locator("output").inner_text() == "51"
        page.get_by_label("2").check()
        page.get_by_role("button", name="Send my answers").click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == "Thank you!"
    assert container.esm.get_or_none(prompt_id).answers["energy"] == 51  # type: ignore[union-attr]


def test_the_form_works_without_javascript(container: Container, browser: Any) -> None:
    with _link(container) as (link, prompt_id):
        page = _phone(browser, javascript=False)
        page.goto(link)
        field = page.get_by_role("spinbutton", name="Energy")
        assert field.get_attribute("type") == "number" and field.input_value() == ""
        field.fill("73")
        page.get_by_label("6").check()
        page.get_by_role("button", name="Send my answers").click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == "Thank you!"
    assert container.esm.get_or_none(prompt_id).answers == {"calm": 6, "energy": 73}  # type: ignore[union-attr]
