"""Which services to pay for, in a real browser against `kairos up`: a person with films on
their list (availability checked by the worker against the stand-ins) enters a budget and
sees the plan month by month, with what dropping each service would lose."""

from __future__ import annotations

import re
from typing import Any
from uuid import uuid4

import httpx
from playwright.sync_api import expect

from tests.support.myvod import catalogue_movies
from tests.support.polling import eventually
from tests.support.web import WebUp, axe_violations, screenshot

PASSWORD = "correct horse battery"


def test_a_person_plans_which_services_to_pay_for(phone: Any, up: WebUp) -> None:
    page = phone
    try:
        page.goto("/sign-up")
        page.get_by_label("Email").fill(f"plan-{uuid4().hex[:8]}@example.com")
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
        movies = [
            m
            for m in catalogue_movies()[100:200]
            if any(s["region"] == "PL" and s["type"] == "sub" for s in m["sources"])
        ][:4]
        for movie in movies:
            added = httpx.post(
                f"{up.base_url}/me/watchlist/items", json={"tmdb_id": movie["id"]}, headers=bearer
            )
            assert added.status_code == 201, added.text

        def checked() -> bool:
            items = httpx.get(f"{up.base_url}/me/watchlist", headers=bearer).json()["items"]
            return all(i["availability_checked_at"] and i["title"] for i in items)

        eventually(checked, timeout=90, message="the worker never checked availability")

        page.get_by_role("navigation", name="Main (phone)").get_by_role("link", name="Plan").click()
        budget = page.get_by_label("Monthly budget (EUR)")
        budget.fill("-5")
        budget.press("Enter")
        expect(page.get_by_text("The budget cannot be negative")).to_be_visible()
        budget.fill("20")
        budget.press("Enter")
        expect(page.get_by_role("heading", name=re.compile(r"^This month: €"))).to_be_visible()
        expect(page.get_by_role("status").filter(has_text="films to watch in")).to_be_visible()
        expect(page.get_by_text(re.compile(r"^Drop .+: save €")).first).to_be_visible()
        assert "budget=20" in page.url, "the budget is in the address, so the plan can be shared"
        assert axe_violations(page) == []
        screenshot(page, "plan-phone")

        page.reload()
        expect(page.get_by_role("heading", name=re.compile(r"^This month: €"))).to_be_visible()
    except Exception:
        print(
            f"failed at {page.url}; screenshot {screenshot(page, 'plan-failure', from_top=False)}"
        )
        print(up.output()[-4000:])
        raise
