"""A researcher in a real browser against a real `kairos up`: builds a campaign with three
question types in the editor (the phone-frame preview is the server's participant page),
sees the preview calendar drawn by the real scheduler (a DST change marked), opens the join
page, launches after the review; a participant joins on a phone-sized page, consents,
confirms from the local mailbox, gets a prompt, answers it; the researcher sees it in the
heatmap, the tracker strip, the timeline, the responses grid and the audit. Every console
page is checked with axe-core and photographed at desktop and phone sizes.

Prompts come due quickly through the API's own means: a fixed schedule whose times are the
next minutes (UTC), so the first one falls within two minutes of the confirmation."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
from playwright.sync_api import expect

from tests.support.processes import eventually
from tests.support.web import DESKTOP, PHONE, WebUp, axe_violations, screenshot

PASSWORD = "correct horse battery"
PROMPT_WAIT = 300  # seconds: the first prompt is at most ~2 min away, plus a beat and a worker


def check(page: Any, name: str) -> None:
    assert axe_violations(page) == [], name
    screenshot(page, f"{name}-desktop")


def mails_to(up: WebUp, email: str) -> list[dict[str, Any]]:
    box = httpx.get(f"{up.fakes_url}/_mailbox", params={"to": email}, timeout=5).json()
    return box if isinstance(box, list) else []


def open_newest_link(page: Any, up: WebUp, email: str, pattern: str) -> None:
    """The mailbox page a person reads: the newest message with a link matching `pattern`
    (a regex without slashes: Playwright's name matching cannot take them), then that link."""
    page.goto(f"{up.fakes_url}/mailbox?to={email}")
    messages = page.get_by_role("link").filter(has_not_text="all")
    for index in range(messages.count()):
        href = messages.nth(index).get_attribute("href") or ""
        if not href.startswith("/mailbox/"):
            continue
        page.goto(f"{up.fakes_url}{href}")
        link = page.get_by_role("link", name=re.compile(pattern))
        if link.count():
            target = link.first.get_attribute("href")
            page.goto(target)
            return
        page.go_back()
    raise AssertionError(f"no message to {email} carries {pattern}")


def fixed_times(now: datetime) -> str:
    """Every two minutes from three minutes from now: the next prompt is never far."""
    return ", ".join((now + timedelta(minutes=3 + 2 * k)).strftime("%H:%M") for k in range(12))


def test_a_researcher_builds_launches_and_follows_a_campaign(browser: Any, up: WebUp) -> None:
    researcher = f"researcher-{uuid4().hex[:8]}@example.com"
    up.cli("users", "add", researcher, "--password", PASSWORD, "--role", "researcher")
    desk = browser.new_context(viewport=DESKTOP, base_url=up.base_url, bypass_csp=True)
    desk.set_default_timeout(30_000)
    phone_context = browser.new_context(
        viewport=PHONE, base_url=up.base_url, bypass_csp=True, timezone_id="UTC"
    )
    phone_context.set_default_timeout(30_000)
    page = desk.new_page()
    phone = phone_context.new_page()
    try:
        page.goto("/sign-in")
        page.get_by_label("Email").fill(researcher)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("link", name="Console").first.click()
        expect(page.get_by_role("heading", name="Campaigns")).to_be_visible()
        assert axe_violations(page) == [], "console-campaigns (empty)"

        # Create a draft, then its details.
        page.get_by_role("button", name="New campaign").click()
        page.get_by_label("Campaign name").fill("Evening moods")
        page.get_by_role("button", name="Create draft").click()
        page.wait_for_url(re.compile(r"/console/campaigns/[^/]+/build$"))
        campaign_url = page.url.rsplit("/", 1)[0]
        now = datetime.now(UTC)
        page.get_by_label("Description").fill("Three short questions, a few times a day.")
        page.get_by_label("Time zone", exact=True).fill("UTC")
        page.get_by_label("First day").fill(now.date().isoformat())
        page.get_by_label("Last day").fill((now.date() + timedelta(days=250)).isoformat())

        # Questions: the draft's likert, then a single choice and a free text, reordered.
        page.get_by_role("tab", name="Questions").click()
        page.get_by_label("New question type").select_option("text")
        page.get_by_role("button", name="Add question").click()
        page.get_by_label("New question type").select_option("single_choice")
        page.get_by_role("button", name="Add question").click()
        third = page.get_by_role("group", name="Question 3")
        third.get_by_label("Question text").fill("Who are you with?")
        third.get_by_label("Options").fill("alone\nfamily\nfriends")
        page.get_by_role("button", name="Move Question 3 up").click()
        second = page.get_by_role("group", name="Question 2")
        expect(second.get_by_label("Question text")).to_have_value("Who are you with?")
        third = page.get_by_role("group", name="Question 3")
        third.get_by_label("Question text").fill("Anything else?")
        third.get_by_label("Answer required").uncheck()
        preview = page.frame_locator("iframe[title='Participant page preview']")
        expect(preview.get_by_text("Who are you with?")).to_be_attached()
        expect(preview.get_by_text("Anything else?")).to_be_attached()
        check(page, "console-questions")

        # Schedule: fixed times in the next minutes; the calendar of a New York participant
        # over 250 days crosses a daylight-saving change.
        page.get_by_role("tab", name="Schedule").click()
        page.get_by_label("Fixed times").check()
        page.get_by_label("Times", exact=True).fill(fixed_times(now))
        page.get_by_label("Link open for (minutes)").fill("30")
        page.get_by_label("Sample participant's time zone").fill("America/New_York")
        expect(page.get_by_text("DST change").first).to_be_visible(timeout=60_000)
        expect(page.get_by_role("note", name="Daylight saving")).to_contain_text(
            "The clocks change in America/New_York"
        )
        check(page, "console-schedule")
        page.get_by_role("button", name="Save draft").click()
        expect(page.get_by_role("status").filter(has_text="Draft saved")).to_be_visible()

        # Self-enrollment: open the join page with its consent text.
        page.get_by_role("link", name="Participants").click()
        page.get_by_label("Open self-enrollment").check()
        page.get_by_label("Information sheet").fill("A study of evening moods, run by the lab.")
        page.get_by_label("Consent text").fill("I agree that my answers are used for this study.")
        page.get_by_role("button", name="Save join page").click()
        join = page.get_by_role("link", name=re.compile(r"^http.*\Wjoin\W[\w-]"))
        expect(join).to_be_visible()
        join_url = join.get_attribute("href")
        expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
        page.get_by_label("Participants CSV").fill("email\nnot-an-email\nada@example.com\n")
        page.get_by_role("button", name="Check rows").click()
        checked = page.get_by_role("status").filter(has_text="Checked")
        expect(checked).to_contain_text("1 would be enrolled, 1 refused")
        expect(checked.get_by_role("row", name=re.compile(r"^2 "))).to_be_visible()
        check(page, "console-participants-draft")

        # Review, then launch (confirmed in a dialog).
        page.get_by_role("link", name="Design").click()
        page.get_by_role("tab", name="Review").click()
        expect(page.get_by_text("Ready to launch.")).to_be_visible()
        check(page, "console-review")
        page.get_by_role("button", name="Launch").click()
        page.get_by_role("alertdialog").get_by_role("button", name="Launch").click()
        expect(page.locator("header").get_by_text("active", exact=True)).to_be_visible()

        # A participant joins on a phone, consents, confirms from the mailbox.
        participant = f"joiner-{uuid4().hex[:8]}@example.com"
        phone.goto(join_url)
        phone.get_by_label("Email").fill(participant)
        phone.get_by_role("checkbox").check()
        screenshot(phone, "join-phone")
        phone.get_by_role("button", name="Join the study").click()
        expect(phone.get_by_role("heading", name="Check your inbox")).to_be_visible()
        eventually(lambda: mails_to(up, participant), 60, "the confirmation email arrived")
        open_newest_link(phone, up, participant, r"\Wjoin\Wconfirm\W")
        phone.get_by_role("button", name="Confirm and join").click()

        # The first prompt reaches the mailbox; the participant answers it.
        eventually(
            lambda: any("/s/" in str(m.get("text")) for m in mails_to(up, participant)),
            PROMPT_WAIT,
            lambda: f"a prompt was emailed\n{up.output()[-3000:]}",
        )
        open_newest_link(phone, up, participant, r"\Ws\W[\w-]{30}")
        mood = phone.get_by_role("group", name="How is your mood right now?")
        mood.get_by_role("radio", name="4").check()
        phone.get_by_role("radio", name="friends").check()
        phone.get_by_role("button", name="Send my answers").click()
        expect(phone.get_by_role("heading", name="Thank you!")).to_be_visible()

        # The researcher sees it: heatmap, strip, timeline, responses, audit.
        page.goto(f"{campaign_url}/compliance")
        heatmap = page.get_by_role("region", name="Heatmap, scrolls sideways")
        expect(heatmap).to_contain_text(re.compile(r"1 of \d+ answered"))
        expect(page.get_by_role("list", name=re.compile(r"1 answered of \d+"))).to_be_visible()
        check(page, "console-compliance")
        page.get_by_role("heading", name="Delivery problems").scroll_into_view_if_needed()
        screenshot(page, "console-heatmap-desktop", from_top=False)
        page.get_by_role("link", name="Participants").click()
        page.get_by_role("link", name=re.compile("Timeline of participant")).click()
        expect(page.get_by_role("heading", name=re.compile("Participant"))).to_be_visible()
        expect(page.get_by_text("answered", exact=True).first).to_be_visible()
        expect(page.get_by_role("list", name="Enrollment events")).to_contain_text("consented")
        check(page, "console-timeline")
        page.goto(f"{campaign_url}/data")
        expect(page.get_by_role("status").filter(has_text="1 of 1 responses")).to_be_visible()
        expect(page.get_by_role("cell", name="friends")).to_be_visible()
        check(page, "console-data")
        page.get_by_role("button", name="Export").click()
        dialog = page.get_by_role("dialog", name="Export responses")
        dialog.get_by_label("Long CSV").check()
        with page.expect_download() as download:
            dialog.get_by_role("button", name="Download").click()
        assert download.value.suggested_filename.endswith(".long.csv")
        assert "friends" in Path(download.value.path()).read_text(encoding="utf-8")
        dialog.get_by_role("button", name="Close").click()
        page.get_by_role("link", name="Audit", exact=True).last.click()
        page.get_by_role("button", name="Verify this campaign").click()
        expect(page.get_by_role("status").filter(has_text="Verified")).to_be_visible(timeout=60_000)
        check(page, "console-audit")
        page.get_by_role("link", name="Console").first.click()
        expect(page.get_by_role("link", name="Evening moods")).to_be_visible()
        check(page, "console-campaigns")

        # The same pages at phone size.
        page.set_viewport_size(PHONE)
        for section in ("compliance", "participants", "build"):
            page.goto(f"{campaign_url}/{section}")
            expect(page.get_by_role("heading", name="Evening moods")).to_be_visible()
            assert axe_violations(page) == [], section
            screenshot(page, f"console-{section}-phone")
    finally:
        desk.close()
        phone_context.close()
