"""Lists in a real browser against `kairos up`: make a list, add films, rank them with the
keyboard and by dragging, tag one, share it read-only and open the link without an account
(no personal data on the page), revoke it, and let a household member edit it."""

from __future__ import annotations

import re
from typing import Any
from uuid import uuid4

import httpx
from playwright.sync_api import expect

from tests.support.web import WebUp, axe_violations, screenshot

PASSWORD = "correct horse battery"


def expect_order(page: Any, *titles: str) -> None:
    """The list's rows, in rank order, start with these names (polls until they do)."""
    expect(page.locator("ol[aria-label$='in rank order'] > li p.font-medium")).to_have_text(
        [re.compile(f"^{re.escape(t)}") for t in titles]
    )


def add(page: Any, title: str) -> None:
    page.get_by_label("Find a film to add").fill(title)
    page.get_by_role("button", name="Search").click()
    page.get_by_role("button", name=f"Add {title}").first.click()
    expect(page.get_by_role("status").filter(has_text=f"Added {title}")).to_be_visible()


def test_a_list_is_ranked_tagged_shared_and_edited_by_a_household(browser: Any, up: WebUp) -> None:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, base_url=up.base_url, bypass_csp=True
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    owner_email = f"lists-{uuid4().hex[:8]}@example.com"
    partner_email = f"partner-{uuid4().hex[:8]}@example.com"
    try:
        registered = httpx.post(
            f"{up.base_url}/auth/register", json={"email": partner_email, "password": PASSWORD}
        )
        assert registered.status_code == 201, registered.text
        page.goto("/sign-up")
        page.get_by_label("Email").fill(owner_email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign up").click()
        page.wait_for_url(re.compile(r"/(onboarding|watchlist)"))

        page.get_by_role("navigation", name="Main", exact=True).get_by_role(
            "link", name="Lists"
        ).click()
        page.get_by_label("New list").fill("Friday films")
        page.get_by_role("button", name="Create list").click()
        page.get_by_role("heading", name="Friday films").wait_for()
        for title in ("Casablanca", "Alien", "Amélie"):
            add(page, title)
        expect_order(page, "Casablanca", "Alien", "Amélie")

        # Keyboard: focus "Move Amélie up" and press Enter.
        page.get_by_role("button", name="Move Amélie up").focus()
        page.keyboard.press("Enter")
        expect(
            page.get_by_role("status").filter(has_text="Moved Amélie to position 2 of 3")
        ).to_be_visible()
        expect_order(page, "Casablanca", "Amélie", "Alien")
        # Drag: the last row onto the first.
        rows = page.get_by_role("list", name="Friday films, in rank order").get_by_role("listitem")
        rows.filter(has_text="Alien").first.drag_to(rows.first)
        expect(
            page.get_by_role("status").filter(has_text="Moved Alien to position 1 of 3")
        ).to_be_visible()
        expect_order(page, "Alien", "Casablanca", "Amélie")

        page.get_by_label("Tags for Casablanca").fill("Classic, date  night")
        page.get_by_label("Tags for Casablanca").press("Enter")
        expect(page.get_by_role("list", name="Tags of Casablanca")).to_contain_text("date night")
        assert axe_violations(page) == []
        screenshot(page, "list-desktop")

        # Share, open the link without an account, revoke.
        page.get_by_role("button", name="Create a share link").click()
        link = page.get_by_label("Share link").input_value()
        assert "/shared/" in link
        stranger = browser.new_context(base_url=up.base_url, bypass_csp=True)
        shared = stranger.new_page()
        shared.goto(link)
        shared.get_by_role("heading", name="Friday films").wait_for()
        expect(shared.get_by_role("list", name="Friday films")).to_contain_text("date night")
        text = shared.content()
        assert owner_email not in text and partner_email not in text
        assert axe_violations(shared) == []
        screenshot(shared, "shared-list")
        page.get_by_role("button", name="Revoke the link").click()
        expect(page.get_by_role("status").filter(has_text="no longer opens")).to_be_visible()
        shared.reload()
        expect(shared.get_by_text("This link does not open a list")).to_be_visible()
        stranger.close()

        # Household: the partner can edit once added.
        page.get_by_label("Email of someone to edit with").fill(partner_email)
        page.get_by_role("button", name="Add", exact=True).click()
        expect(page.get_by_role("list", name="People who edit this list")).to_contain_text(
            partner_email
        )
        token = httpx.post(
            f"{up.base_url}/auth/token", data={"username": partner_email, "password": PASSWORD}
        ).json()["access_token"]
        bearer = {"Authorization": f"Bearer {token}"}
        theirs = httpx.get(f"{up.base_url}/me/lists", headers=bearer).json()["items"]
        [shared_list] = [x for x in theirs if x["name"] == "Friday films"]
        assert shared_list["role"] == "member"
        first = httpx.get(f"{up.base_url}/me/lists/{shared_list['id']}", headers=bearer).json()
        moved = httpx.put(
            f"{up.base_url}/me/lists/{shared_list['id']}/items/{first['items'][2]['tmdb_id']}"
            "/position",
            json={"position": 0},
            headers=bearer,
        )
        assert moved.status_code == 200
        page.reload()
        expect_order(page, "Amélie", "Alien", "Casablanca")
    except Exception:
        print(f"failed at {page.url}; screenshot {screenshot(page, 'lists-failure')}")
        print(up.output()[-4000:])
        raise
    finally:
        context.close()
