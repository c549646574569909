"""Browser tests share one `kairos up` and one Chromium: started for the first test of this
folder, stopped after its last (package scope), so the rest of the suite runs without it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.web import AXE, CHROMIUM, DESKTOP, PHONE, WebUp, web_up


@pytest.fixture(scope="package")
def up() -> Iterator[WebUp]:
    if not CHROMIUM.exists():
        pytest.skip("needs the system Chromium at /usr/bin/chromium (never downloaded)")
    if not AXE.exists():
        pytest.skip("needs interfaces/web/node_modules (npm ci; ./kairos test runs it)")
    with web_up() as running:
        yield running


@pytest.fixture(scope="package")
def browser(up: WebUp) -> Iterator[Any]:
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=20_000)  # a shared 2-core machine is slow; expect polls

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


def _context(browser: Any, up: WebUp, viewport: dict[str, int]) -> Any:
    context = browser.new_context(viewport=viewport, base_url=up.base_url, bypass_csp=True)
    context.set_default_timeout(20_000)
    return context


@pytest.fixture
def phone(browser: Any, up: WebUp) -> Iterator[Any]:
    context = _context(browser, up, PHONE)
    yield context.new_page()
    context.close()


@pytest.fixture
def desktop(browser: Any, up: WebUp) -> Iterator[Any]:
    context = _context(browser, up, DESKTOP)
    yield context.new_page()
    context.close()
