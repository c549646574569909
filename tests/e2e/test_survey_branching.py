"""Show-if branching in headless Chromium: with JavaScript a conditional question appears
only when its condition holds (the page's script evaluates the server's rules), without it
the question is there with a hint, and either way the server keeps what the rules show."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

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
    {"id": "company", "type": "single_choice", "text": "Who are you with?",
     "options": ["alone", "friends"]},
    {"id": "who", "type": "text", "text": "Who exactly?",
     "show_if": {"question": "company", "equals": "friends"}},
]  # fmt: skip


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield chromium
        chromium.close()


@contextmanager
def link(container: Container) -> Iterator[tuple[str, UUID]]:
    clock = FakeClock(START)
    with controlled(container, clock) as mailer, serve(create_app(container)) as api_url:
        campaign_id = launched_campaign(container, clock, questionnaire={"questions": QUESTIONS})
        owner_id = container.esm.campaign_for(None, campaign_id).owner_id
        email = f"branch-{uuid4().hex[:10]}@example.com"
        participant_id, _ = container.esm.enroll(owner_id, campaign_id, email)
        prompt_id = container.esm.get_or_none(participant_id).prompt_ids[0]  # type: ignore[union-attr]
        clock.set(container.esm.get_or_none(prompt_id).scheduled_at)  # type: ignore[union-attr]
        assert container.esm.send_prompt(prompt_id, mailer, api_url) == "sent"
        yield f"{api_url}/s/{token_from(mailer.to(email)[-1].text)}", prompt_id


def test_the_conditional_question_appears_only_when_its_condition_holds(
    container: Container, browser: Any
) -> None:
    with link(container) as (url, prompt_id):
        page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        page.goto(url)
        who = page.get_by_label("Who exactly?")
        assert not who.is_visible()  # nothing chosen yet
        page.get_by_label("alone").check()
        assert not who.is_visible()
        page.get_by_label("friends").check()
        assert who.is_visible()
        assert not page.get_by_text("Answer this only if").is_visible()  # the script hid hints
        who.fill("Ann and Bo")
        page.get_by_role("button", name="Send my answers").click()
        page.get_by_text("Thank you!").wait_for()
        page.context.close()
    answers = container.esm.get_or_none(prompt_id).answers  # type: ignore[union-attr]
    assert answers == {"company": "friends", "who": "Ann and Bo"}


def test_without_javascript_the_hint_says_when_to_answer(
    container: Container, browser: Any
) -> None:
    with link(container) as (url, prompt_id):
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(url)
        assert page.get_by_text(
            "Answer this only if your answer to “Who are you with?”"
        ).is_visible()
        page.get_by_label("alone").check()
        page.get_by_label("Who exactly?").fill("typed anyway")
        page.get_by_role("button", name="Send my answers").click()
        page.get_by_text("Thank you!").wait_for()
        context.close()
    answers = container.esm.get_or_none(prompt_id).answers  # type: ignore[union-attr]
    assert answers == {"company": "alone"}  # the hidden question's answer is not kept
