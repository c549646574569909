"""Suggestions that learn, in a real browser against `kairos up` (Gemini's stand-in): a
person marks a pick "Not interested" and another "Seen it", asks again, and neither comes
back."""

from __future__ import annotations

import re
from typing import Any
from uuid import uuid4

import httpx
from playwright.sync_api import expect

from tests.support.web import WebUp, axe_violations, screenshot

PASSWORD = "correct horse battery"


def picks(page: Any) -> list[str]:
    return [h.strip() for h in page.locator("main li h2").all_inner_texts()]


def test_judged_picks_never_come_back(phone: Any, up: WebUp) -> None:
    page = phone
    try:
        page.goto("/sign-up")
        page.get_by_label("Email").fill(f"picks-{uuid4().hex[:8]}@example.com")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign up").click()
        page.wait_for_url(re.compile(r"/(onboarding|watchlist)"))
        token = page.context.request.post(
            f"{up.base_url}/auth/session/refresh", headers={"X-Kairos-Session": "1"}
        ).json()["access_token"]
        added = httpx.post(
            f"{up.base_url}/me/watchlist/items",
            json={"query": "Alien"},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert added.status_code == 201, added.text

        page.goto("/suggestions")
        page.get_by_role("button", name="Suggest films").click()
        first = page.get_by_role("group", name=re.compile("^What do you think of"))
        expect(first.first).to_be_visible(timeout=60_000)
        before = picks(page)
        no = first.nth(0).get_attribute("aria-label").removeprefix("What do you think of ")
        seen = first.nth(1).get_attribute("aria-label").removeprefix("What do you think of ")
        # "Title?" as the group names it
        first.nth(0).get_by_role("button", name="Not interested").click()
        expect(page.get_by_role("status").filter(has_text="not interested")).to_be_visible()
        expect(first.nth(0).get_by_role("button", name="Not interested")).to_have_attribute(
            "aria-pressed", "true"
        )
        first.nth(1).get_by_role("button", name="Seen it").click()
        expect(page.get_by_role("status").filter(has_text="already seen")).to_be_visible()
        assert axe_violations(page) == []
        screenshot(page, "suggestions-feedback-phone")

        page.get_by_role("button", name="Suggest again").click()
        # the first pick changes once the new answer is in (the judged one cannot return)
        expect(first.first).not_to_have_attribute(
            "aria-label", f"What do you think of {no}", timeout=60_000
        )
        after = picks(page)
        assert after != before
        assert not any(p.startswith(no.removesuffix("?")) for p in after)
        assert not any(p.startswith(seen.removesuffix("?")) for p in after)
    except Exception:
        print(f"failed at {page.url}; screenshot {screenshot(page, 'feedback-failure')}")
        print(up.output()[-4000:])
        raise
