"""One real `kairos up` shared by every browser test of a session (the web app built, the
local stand-ins of TMDB/Watchmode/Gemini/SendGrid behind it), and helpers to drive
/usr/bin/chromium through Playwright (never a downloaded browser)."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from infrastructure.embedded import free_port
from tests.support.processes import ROOT, Child, eventually
from tests.support.servers import fresh_database, postgres_server, redis_server

CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "interfaces" / "web" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "docs" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 860}
CONFIG_VARS = ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "CELERY_QUEUE", "DATA_DIR")
STARTUP = 240  # seconds: a shared 2-core machine can be slow to start six processes


@dataclass
class WebUp:
    base_url: str
    fakes_url: str
    process: Child
    env: dict[str, str]
    data_dir: Path

    def output(self) -> str:
        return self.process.output()

    def cli(self, *args: str) -> str:
        """Runs another `kairos` command against this system (e.g. `users add`)."""
        done = subprocess.run(
            [sys.executable, "-m", "interfaces.cli.main", *args, "--data-dir", str(self.data_dir)],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout


def _ready(base: str) -> bool:
    try:
        page = httpx.get(f"{base}/sign-in", timeout=2)
        return page.status_code == 200 and 'id="root"' in page.text
    except httpx.HTTPError:
        return False


@contextmanager
def web_up() -> Iterator[WebUp]:
    """`kairos up` on a random port, a fresh database and its own Celery queue. Rate limits
    are off (every test browser shares 127.0.0.1) and availability is re-checked every few
    seconds so an availability change in the stand-ins reaches alerts quickly."""
    work = Path(tempfile.mkdtemp(prefix="kairos-web-test-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with (
        postgres_server() as server,
        fresh_database(server, "kairos_web") as db,
        redis_server() as redis,
    ):
        env = {k: v for k, v in os.environ.items() if k not in CONFIG_VARS}
        env.update(
            DATABASE_URL=db,
            REDIS_URL=redis,
            SECRET_KEY=secrets.token_hex(32),
            CELERY_QUEUE=f"kairos-web-{secrets.token_hex(4)}",
            RATE_LIMIT_ENABLED="false",
            ARGON2_TIME_COST="1",
            ARGON2_MEMORY_KIB="1024",
            MYVOD_REFRESH_AFTER_SECONDS="2",
            BEAT_INTERVAL_SECONDS="1",
            PYTHONUNBUFFERED="1",
        )
        up = Child(
            ["up", "--port", str(port), "--data-dir", str(work / "data")], env, work / "up.log"
        )
        try:
            eventually(lambda: _ready(base), STARTUP, lambda: f"kairos up\n{up.output()}", 0.25)
            # The banner follows /health (the API starts first): wait for its Mailbox line.
            mailbox = eventually(
                lambda: re.search(r"Mailbox\s+(\S+)/mailbox", up.output()), 30, up.output
            )
            yield WebUp(base, mailbox.group(1), up, env, work / "data")
        finally:
            up.stop(signal.SIGINT, timeout=40)
            shutil.rmtree(work, ignore_errors=True)


def axe_violations(page: Any, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
    """Runs axe-core (from the web app's node_modules) in the page; returns the serious and
    critical violations as readable lines. The page's context must bypass CSP."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['impact']}: {v['id']} ({v['help']}) at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def screenshot(page: Any, name: str, *, from_top: bool = True) -> Path:
    """Saves a screenshot; into docs/screenshots/ when KAIROS_WRITE_SCREENSHOTS=1 (how the
    pictures in docs/web.md are refreshed), else beside the test's temporary files."""
    folder = (
        SCREENSHOTS
        if os.environ.get("KAIROS_WRITE_SCREENSHOTS") == "1"
        else Path(tempfile.gettempdir()) / "kairos-screens"
    )
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    if from_top:  # docs show what a user sees on arriving; failures keep where it stopped
        page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(path), full_page=False)
    return path
