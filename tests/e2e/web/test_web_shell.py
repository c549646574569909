"""The web app's shell in a real browser against a real `kairos up`: deep links load the
app, sign-up and sign-in work with inline errors, the session survives a reload through
the httpOnly cookie only (no token in web storage), sign-out ends it, and the public pages
have no serious accessibility violation."""

from __future__ import annotations

import re
from typing import Any
from uuid import uuid4

import httpx
from playwright.sync_api import expect

from tests.support.web import PHONE, WebUp, axe_violations

PASSWORD = "correct horse battery"


def test_a_deep_link_loads_the_app_and_unknown_api_paths_stay_json(up: WebUp) -> None:
    for path in ("/", "/watchlist", "/title/100001", "/some/deep/link"):
        page = httpx.get(up.base_url + path, timeout=10)
        assert page.status_code == 200 and 'id="root"' in page.text, path
    assert httpx.get(up.base_url + "/me/nothing", timeout=10).json() == {"detail": "Not Found"}
    assert httpx.get(up.base_url + "/openapi.json", timeout=10).json()["info"]["title"] == "Kairos"
    assert httpx.get(up.base_url + "/assets/missing.js", timeout=10).status_code == 404
    entry = re.search(r'src="(/assets/[^"]+\.js)"', httpx.get(up.base_url + "/").text)
    assert entry, "index.html loads its entry script"
    script = httpx.get(up.base_url + entry.group(1), headers={"Accept-Encoding": "gzip"})
    assert script.headers["content-encoding"] == "gzip"
    assert "immutable" in script.headers["cache-control"]


def test_sign_up_shows_rules_and_errors_inline_then_a_reload_keeps_the_session(
    browser: Any, up: WebUp
) -> None:
    context = browser.new_context(viewport=PHONE, base_url=up.base_url)  # CSP enforced
    page = context.new_page()
    page.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation',"
        " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI))"
    )
    try:
        page.goto("/watchlist")
        page.wait_for_url("**/sign-in?next=%2Fwatchlist")
        page.get_by_role("link", name="New here? Create an account").click()
        page.get_by_role("heading", name="Create your account").wait_for()
        page.get_by_label("Email").fill("not an email")
        page.get_by_label("Password").fill("short")
        page.get_by_role("button", name="Sign up").click()
        expect(page.get_by_text("Enter an email address like ada@example.com")).to_be_visible()
        expect(page.get_by_text("Use at least 8 characters")).to_be_visible()
        expect(page.get_by_role("list", name="Requirements")).to_be_visible()

        email = f"web-{uuid4().hex[:8]}@example.com"
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign up").click()
        page.wait_for_url("**/onboarding")
        # The link was emailed a moment ago: asking again so soon says to wait.
        banner = page.get_by_role("note", name="Confirm your email")
        banner.get_by_role("button", name="Send the link again").click()
        expect(banner.get_by_role("status")).to_contain_text("less than a minute ago")

        storage = page.evaluate("() => [Object.keys(localStorage), Object.keys(sessionStorage)]")
        assert all("token" not in key.lower() for keys in storage for key in keys), storage
        [cookie] = [c for c in context.cookies() if c["name"] == "kairos_refresh"]
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        assert cookie["path"] == "/auth/session"

        page.reload()
        page.get_by_role("button", name="Sign out").wait_for()
        assert "/sign-in" not in page.url

        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url("**/sign-in")
        page.goto("/watchlist")
        page.wait_for_url("**/sign-in?next=%2Fwatchlist")

        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill("wrong password")
        page.get_by_role("button", name="Sign in").click()
        expect(
            page.get_by_role("alert").filter(has_text="incorrect email or password")
        ).to_be_visible()
        assert page.evaluate("window.__csp") == []  # nothing the CSP had to block
    finally:
        context.close()


def test_the_refresh_cookie_alone_authorises_nothing(up: WebUp) -> None:
    email = f"cookie-{uuid4().hex[:8]}@example.com"
    with httpx.Client(base_url=up.base_url, timeout=10) as http:
        assert (
            http.post("/auth/register", json={"email": email, "password": PASSWORD}).status_code
            == 201
        )
        form = {"username": email, "password": PASSWORD}
        assert http.post("/auth/session", data=form).status_code == 401  # no custom header
        signed_in = http.post("/auth/session", data=form, headers={"X-Kairos-Session": "1"})
        assert signed_in.status_code == 200 and "refresh_token" not in signed_in.json()
        assert http.get("/me/watchlist").status_code == 401  # the cookie is no bearer
        assert http.post("/auth/session/refresh").status_code == 401  # cookie without header
        refreshed = http.post("/auth/session/refresh", headers={"X-Kairos-Session": "1"})
        assert refreshed.status_code == 200, refreshed.text
        bearer = {"Authorization": f"Bearer {refreshed.json()['access_token']}"}
        assert http.get("/auth/me", headers=bearer).json()["email"] == email
        assert http.delete("/auth/session", headers={"X-Kairos-Session": "1"}).status_code == 204
        again = http.post("/auth/session/refresh", headers={"X-Kairos-Session": "1"})
        assert again.status_code == 401


def test_public_pages_have_no_serious_accessibility_violation(phone: Any) -> None:
    for path in ("/sign-in", "/sign-up"):
        phone.goto(path)
        phone.get_by_role("button", name="Sign in" if path == "/sign-in" else "Sign up").wait_for()
        assert axe_violations(phone) == [], path
