"""The new-user flow end to end: a researcher creates and launches a campaign and enrolls two
participants over HTTP; beat ticks (through the relay and a real Celery worker) email the
prompts through the SendGrid adapter to the local fake; one participant answers in headless
Chromium on a phone-sized screen, the other lets the link expire; compliance and the CSV show
both. Time is an injected clock, so nothing waits for real minutes."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest

from infrastructure.adapters.sendgrid import SendGridMailer
from infrastructure.bootstrap import Container
from infrastructure.celery_app import celery_app
from interfaces.http.app import create_app
from tests.support.esm import FakeClock, controlled, definition, researcher_headers, token_from
from tests.support.fakes import serve
from tests.support.polling import eventually
from tests.support.system import running_projector, running_relay
from tests.support.worker import running_worker

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs the system Chromium at /usr/bin/chromium (never downloaded)",
)
START = datetime(2026, 6, 10, 5, 0, tzinfo=UTC)  # 07:00 in Warsaw


def tick(container: Container, name: str) -> None:
    celery_app.send_task(name, kwargs={}, queue=container.settings.celery_queue)


def answer_in_browser(link: str) -> tuple[int, str, bool]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            page = browser.new_context(viewport={"width": 375, "height": 740}).new_page()
            page.goto(link)
            fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
            page.get_by_label("4").check()
            page.locator("#in-energy").evaluate("(el) => { el.value = '55'; }")
            page.get_by_label("friends").check()
            page.get_by_label("rest").check()
            page.get_by_label("Hours slept").fill("7.5")
            page.get_by_label("Anything else?").fill("sunny walk")
            with page.expect_response(lambda r: r.request.method == "POST") as posted:
                page.get_by_role("button", name="Send my answers").click()
            page.wait_for_load_state()
            return posted.value.status, page.locator("h1").inner_text(), fits
        finally:
            browser.close()


def test_new_user_flow_from_campaign_to_csv_in_a_browser(
    container: Container, fakes_url: str, fakes: httpx.Client
) -> None:
    clock = FakeClock(START)
    mailer = SendGridMailer("SG.test", fakes_url, "no-reply@kairos.local", timeout=5.0)
    saved_settings = container.settings
    with (
        controlled(container, clock, mailer),
        running_projector(container),
        running_worker(container) as publisher,
        running_relay(container, publisher),
        serve(create_app(container)) as api_url,
        httpx.Client(base_url=api_url, timeout=10) as http,
    ):
        container.settings = saved_settings.model_copy(update={"public_url": api_url})
        try:
            _, headers = researcher_headers(container)
            body = definition(
                START.date(),
                schedule={"kind": "fixed", "times": ["08:00", "20:00"]},
            )
            campaign = http.post("/campaigns", json=body, headers=headers).json()
            url = f"/campaigns/{campaign['id']}"
            answerer = f"ann-{uuid4().hex[:8]}@example.com"
            sleeper = f"bob-{uuid4().hex[:8]}@example.com"
            # one joins before the launch (planned by the outbox task), one after (at once)
            assert (
                http.post(
                    f"{url}/participants", json={"email": answerer}, headers=headers
                ).status_code
                == 201
            )
            assert http.post(f"{url}/launch", headers=headers).json()["status"] == "active"
            assert (
                http.post(
                    f"{url}/participants", json={"email": sleeper}, headers=headers
                ).status_code
                == 201
            )

            def todays_prompts() -> list[dict[str, Any]] | None:
                listed = http.get(f"{url}/prompts", headers=headers).json()["prompts"]
                today = [p for p in listed if p["day"] == START.date().isoformat()]
                return today if len({p["participant"] for p in today}) == 2 else None

            prompts = eventually(todays_prompts, 30.0)
            first = min(datetime.fromisoformat(p["scheduled_at"]) for p in prompts)
            assert first == datetime(2026, 6, 10, 6, 0, tzinfo=UTC)  # 08:00 in Warsaw

            clock.set(first)
            tick(container, "esm.dispatch_tick")
            tick(container, "esm.dispatch_tick")  # a duplicate tick changes nothing

            def delivered() -> list[dict[str, Any]] | None:
                box = fakes.get("/_mailbox").json()
                mine = [m for m in box if m["to"] in (answerer, sleeper)]
                return mine if {m["to"] for m in mine} == {answerer, sleeper} else None

            mails = eventually(delivered, 30.0)
            by_person = {m["to"]: m for m in mails}
            assert by_person[answerer]["html"] and by_person[answerer]["text"]
            assert by_person[answerer]["custom_args"]["prompt_id"]
            link = f"{api_url}/s/{token_from(by_person[answerer]['text'])}"
            assert link in by_person[answerer]["text"]

            clock.advance(minutes=3)
            status, heading, fits = answer_in_browser(link)
            assert (status, heading) == (201, "Thank you!")
            assert fits, "the form fits a 375px-wide phone screen"

            clock.advance(hours=2)
            tick(container, "esm.expire_tick")
            eventually(
                lambda: http.get(f"{url}/prompts?status=expired", headers=headers).json()[
                    "prompts"
                ],
                30.0,
            )
            report = http.get(f"{url}/compliance", headers=headers).json()
            totals = report["totals"]
            assert (totals["sent"], totals["answered"], totals["expired"]) == (2, 1, 1)
            assert totals["response_rate"] == 0.5
            assert totals["median_latency_seconds"] == pytest.approx(180, abs=1)
            assert sorted(p["answered"] for p in report["participants"]) == [0, 1]

            exported = http.get(f"{url}/responses?format=csv", headers=headers)
            rows = list(csv.DictReader(io.StringIO(exported.text)))
            assert len(rows) == 1
            assert (rows[0]["mood"], rows[0]["energy"], rows[0]["company"]) == (
                "4",
                "55",
                "friends",
            )
            assert rows[0]["activities"] == "rest" and rows[0]["note"] == "sunny walk"
            assert answerer not in exported.text and sleeper not in exported.text
            assert http.post(link.replace(api_url, ""), json={"answers": {}}).status_code == 409
        finally:
            container.settings = saved_settings
    assert clock() - START >= timedelta(hours=2)
