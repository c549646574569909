"""The release calendar in a real browser against `kairos up`: the Alerts page gives a
secret iCal address; a calendar app (httpx, no token) reads the arrivals from it; once
stopped it answers 404."""

from __future__ import annotations

import re
from typing import Any
from uuid import uuid4

import httpx
from playwright.sync_api import expect

from tests.support.polling import eventually
from tests.support.web import WebUp, axe_violations, screenshot

PASSWORD = "correct horse battery"


def test_a_person_subscribes_to_their_release_calendar(desktop: Any, up: WebUp) -> None:
    page = desktop
    try:
        page.goto("/sign-up")
        page.get_by_label("Email").fill(f"ical-{uuid4().hex[:8]}@example.com")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign up").click()
        page.get_by_label("1. Where do you watch?").select_option("PL")
        page.get_by_role("button", name="Netflix").click()
        page.get_by_role("button", name="Save my services").click()
        page.wait_for_url("**/watchlist")
        token = page.context.request.post(
            f"{up.base_url}/auth/session/refresh", headers={"X-Kairos-Session": "1"}
        ).json()["access_token"]
        bearer = {"Authorization": f"Bearer {token}"}
        added = httpx.post(
            f"{up.base_url}/me/watchlist/items", json={"query": "Amélie"}, headers=bearer
        )
        assert added.status_code == 201, added.text

        page.goto("/alerts")
        page.get_by_role("button", name="Create a calendar address").click()
        address = page.get_by_label("Calendar address")
        expect(address).to_have_value(re.compile(r"/me/calendar\.ics\?key="))
        url = address.input_value()
        assert axe_violations(page) == []
        screenshot(page, "calendar-desktop")

        def feed() -> str | None:
            answer = httpx.get(url)
            return answer.text if "Amélie on netflix" in answer.text else None

        text = eventually(feed, timeout=90, message="the arrival never reached the feed")
        assert text.startswith("BEGIN:VCALENDAR")

        page.get_by_role("button", name="Stop the calendar address").click()
        expect(page.get_by_role("status").filter(has_text="no longer works")).to_be_visible()
        assert httpx.get(url).status_code == 404
    except Exception:
        print(f"failed at {page.url}; screenshot {screenshot(page, 'calendar-failure')}")
        print(up.output()[-4000:])
        raise
