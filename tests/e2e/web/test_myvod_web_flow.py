"""A new MyVOD user in a real browser (phone size, keyboard where a person would use it),
against a real `kairos up` on the local stand-ins: signs up, picks services, adds films by
search, sees posters and service badges appear, filters, rates, writes a note, asks for
suggestions, imports a Letterboxd ZIP, and sees an alert after an availability change.
Each main page is checked with axe-core and photographed at phone and desktop sizes."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any
from uuid import uuid4

import httpx
from playwright.sync_api import expect

from tests.support.web import DESKTOP, PHONE, WebUp, axe_violations, screenshot

PASSWORD = "correct horse battery"


def letterboxd_zip() -> bytes:
    files = {
        "watchlist.csv": "Date,Name,Year,Letterboxd URI\n2024-05-01,Heat,1995,https://boxd.it/h\n",
        "watched.csv": (
            "Date,Name,Year,Letterboxd URI\n2024-03-01,The Shining,1980,https://boxd.it/s\n"
            "2024-03-02,Zzq No Such Film,2001,https://boxd.it/z\n"
        ),
        "ratings.csv": (
            "Date,Name,Year,Letterboxd URI,Rating\n2024-03-01,The Shining,1980,https://boxd.it/s,4.5\n"
        ),
        "likes/films.csv": "Date,Name,Year,Letterboxd URI\n2024-01-01,Ignored,2000,x\n",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def check_page(page: Any, name: str) -> None:
    assert axe_violations(page) == [], name
    screenshot(page, f"{name}-phone")


def add_by_keyboard(page: Any, query: str) -> None:
    search = page.get_by_role("combobox", name="Add a film")
    search.fill(query)
    expect(page.get_by_role("option").first).to_contain_text(query)
    search.press("Enter")


def test_a_new_user_builds_a_watchlist_in_the_browser(browser: Any, up: WebUp) -> None:
    context = browser.new_context(viewport=PHONE, base_url=up.base_url, bypass_csp=True)
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        email = f"flow-{uuid4().hex[:8]}@example.com"
        page.goto("/sign-up")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign up").click()

        # Onboarding: region, then services from the logo grid.
        page.get_by_label("1. Where do you watch?").select_option("PL")
        page.get_by_role("button", name="Netflix").click()
        page.get_by_role("button", name="HBO Max").click()
        expect(page.get_by_role("button", name="Netflix")).to_have_attribute("aria-pressed", "true")
        expect(page.locator("img[src*='/_logos/']").first).to_be_visible()
        check_page(page, "onboarding")
        page.get_by_role("button", name="Save my services").click()
        page.wait_for_url("**/watchlist")
        expect(page.get_by_role("note", name="Demo data")).to_contain_text("Casablanca")

        # Search-as-you-type, keyboard only; adding twice says so.
        add_by_keyboard(page, "Amélie")
        expect(page.get_by_role("status").filter(has_text="Added Amélie")).to_be_visible()
        add_by_keyboard(page, "Casablanca")
        expect(page.get_by_role("status").filter(has_text="Added Casablanca")).to_be_visible()
        add_by_keyboard(page, "Casablanca")
        expect(
            page.get_by_role("status").filter(has_text="already on your watchlist")
        ).to_be_visible()
        page.get_by_role("combobox", name="Add a film").press("Escape")

        # Posters and badges appear as enrichment and the first availability check land.
        slow = 60_000  # enrichment and the first availability check run through the worker
        poster = page.get_by_role("img", name="Poster of Amélie")
        expect(poster).to_be_visible(timeout=slow)
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=poster.element_handle()
        )
        expect(
            page.get_by_role("list", name="Streams on Netflix, MUBI").or_(
                page.get_by_role("list", name="Streams on Netflix")
            )
        ).to_be_visible(timeout=slow)
        check_page(page, "watchlist")

        # Filters.
        page.get_by_role("button", name="On my services").click()
        expect(page.get_by_role("img", name="Poster of Amélie")).to_be_visible()
        expect(page.get_by_role("img", name="Poster of Casablanca")).to_have_count(0)
        page.get_by_role("button", name="All", exact=True).click()
        expect(page.get_by_role("img", name="Poster of Casablanca")).to_be_visible()

        # The title page: where to watch, rating, watched date, private note.
        page.get_by_role("link", name="Poster of Amélie").click()
        page.get_by_role("heading", name="Amélie").wait_for()
        expect(page.get_by_role("link", name=re.compile("^Watch on Netflix"))).to_be_visible()
        page.get_by_role("radio", name="8 out of 10").focus()
        page.keyboard.press("Space")
        expect(page.get_by_role("radio", name="8 out of 10")).to_be_checked()
        page.get_by_label("Watched on").fill("2026-01-15")
        page.get_by_role("button", name="Mark as watched").click()
        expect(page.get_by_role("status").filter(has_text="Saved as watched")).to_be_visible()
        page.get_by_label("Private note").fill("Recommended by Ada <script>alert(1)</script>")
        page.get_by_role("button", name="Save note").click()
        expect(page.get_by_role("status").filter(has_text="Note saved")).to_be_visible()
        check_page(page, "title")
        page.set_viewport_size(DESKTOP)
        screenshot(page, "title-desktop")
        page.set_viewport_size(PHONE)

        # Suggestions: request, pending, explained picks with an Add button.
        page.get_by_role("navigation", name="Main (phone)").get_by_role(
            "link", name="Suggestions"
        ).click()
        page.get_by_role("button", name="Suggest films").click()
        add = page.get_by_role("button", name="Add ").first
        expect(add).to_be_visible(timeout=slow)
        add.click()
        expect(page.get_by_role("status").filter(has_text="Added")).to_be_visible()
        check_page(page, "suggestions")

        # Import a Letterboxd ZIP: to watch, watched with date and rating, unmatched.
        page.get_by_role("navigation", name="Main (phone)").get_by_role(
            "link", name="Import"
        ).click()
        page.get_by_label("Export file (.zip or .csv)").set_input_files(
            {
                "name": "letterboxd-ada.zip",
                "mimeType": "application/zip",
                "buffer": letterboxd_zip(),
            }
        )
        page.get_by_role("button", name="Import").click()
        expect(page.get_by_role("heading", name="Letterboxd import done")).to_be_visible(
            timeout=slow
        )
        expect(page.get_by_text("Zzq No Such Film (2001)")).to_be_visible()
        check_page(page, "import")

        token = context.request.post(
            f"{up.base_url}/auth/session/refresh", headers={"X-Kairos-Session": "1"}
        ).json()["access_token"]
        bearer = {"Authorization": f"Bearer {token}"}
        items = {
            i["title"]: i
            for i in httpx.get(f"{up.base_url}/me/watchlist", headers=bearer).json()["items"]
        }
        assert items["Heat"]["status"] == "to_watch"
        assert (items["The Shining"]["status"], items["The Shining"]["rating"]) == ("watched", 9)
        assert items["The Shining"]["watched_at"].startswith("2024-03-01")
        assert items["Amélie"]["rating"] == 8 and items["Amélie"]["watched_at"].startswith(
            "2026-01-15"
        )
        assert items["Amélie"]["note"] == "Recommended by Ada <script>alert(1)</script>"

        # An availability change in the stand-ins reaches the alerts page and the ribbon.
        changed = httpx.post(
            f"{up.fakes_url}/_control/availability",
            json={"tmdb_id": items["Casablanca"]["tmdb_id"], "region": "PL", "service": "Netflix"},
        )
        assert changed.json()["ok"], changed.text
        page.get_by_role("navigation", name="Main (phone)").get_by_role(
            "link", name="Alerts"
        ).click()
        expect(page.get_by_text("Casablanca is on Netflix in PL")).to_be_visible(timeout=90_000)
        check_page(page, "alerts")
        page.set_viewport_size(DESKTOP)
        screenshot(page, "alerts-desktop")
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Watchlist").click()
        expect(page.get_by_text("New on your services")).to_have_count(1, timeout=30_000)
        screenshot(page, "watchlist-desktop")
        page.set_viewport_size(PHONE)
        screenshot(page, "watchlist-phone")
    except Exception:
        print(f"failed at {page.url}; screenshot {screenshot(page, 'failure', from_top=False)}")
        print(up.output()[-4000:])  # pytest shows it with the failure
        raise
    finally:
        context.close()


def test_sign_up_and_dark_mode_look_right_on_both_sizes(browser: Any, up: WebUp) -> None:
    for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        context = browser.new_context(viewport=viewport, base_url=up.base_url, color_scheme="dark")
        page = context.new_page()
        try:
            page.goto("/sign-up")
            page.get_by_role("heading", name="Create your account").wait_for()
            assert page.evaluate("document.documentElement.classList.contains('dark')")
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
            screenshot(page, f"sign-up-dark-{name}")
        finally:
            context.close()
