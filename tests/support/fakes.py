"""The vendor fakes (SendGrid, TMDB, Watchmode, Gemini) served over real HTTP for tests.

Registered as a pytest plugin by tests/conftest.py, so any test can ask for:

* `fakes_url` (session): base URL of `stand_ins.server.create_fakes_app()` run by
  uvicorn in a thread on a free port, e.g. `http://127.0.0.1:43211`. Point an adapter at it
  (`SendGridMailer("SG.test", fakes_url, ...)`, `tmdb_base_url=fakes_url`, ...).
* `fakes` (function): an `httpx.Client` on that URL, for `/_mailbox` and `/_control/*`;
  resets SendGrid failure injection after the test.

The server is shared by the whole session: use a random recipient per test and filter the
mailbox (`GET /_mailbox?to=...`). `serve(app)` runs any other ASGI app the same way.

The fakes check keys as their vendors do: the session's accept `TEST_KEYS` (the keys the
tests' adapters are built with), and their rate limits are raised to `TEST_WINDOWS` so the
suite never trips them by accident; a test that wants a vendor's real limit sets it through
`POST /_control/access` with a key of its own (`/_control/reset` puts these back).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from infrastructure.embedded import free_port
from stand_ins.access import Window


@contextmanager
def serve(app: Any, startup_timeout: float = 10.0) -> Iterator[str]:
    """Runs an ASGI app with uvicorn in a daemon thread; yields its base URL."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + startup_timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"test server on port {port} did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


TEST_KEYS: dict[str, tuple[str, ...]] = {
    "sendgrid": ("SG.test", "SG.x", "SG.local-fake"),
    "tmdb": (
        "test-tmdb-key",
        "test",
        "k",
        "plain-v3-key",
        "eyJhbGciOiJIUzI1NiJ9.token",
        "local-fake",
    ),
    "watchmode": ("test-watchmode-key", "k", "local-fake"),
    "gemini": ("test-key", "k", "local-fake"),
}
TEST_WINDOWS = {v: Window(100_000, 1.0) for v in TEST_KEYS}


def session_fakes_app(**options: Any) -> Any:
    """`create_fakes_app` as the session's: TEST_KEYS and TEST_WINDOWS (the fakes' state
    is per process, so every app of one test process must agree on them)."""
    from stand_ins.server import create_fakes_app

    return create_fakes_app(api_keys=TEST_KEYS, windows=TEST_WINDOWS, **options)


@pytest.fixture(scope="session")
def fakes_url() -> Iterator[str]:
    """With KAIROS_WIRE_AUDIT=<file>, every exchange of the session with the fakes is
    checked against the vendors' contracts (tests/contracts) and the problems written to
    that file at the end: a way to find what a product flow sends that no contract test
    drives (injected failures and deliberately bad requests show up there too)."""
    audit = os.environ.get("KAIROS_WIRE_AUDIT")
    if not audit:
        with serve(session_fakes_app()) as url:
            yield url
        return
    from tests.contracts.checker import check
    from tests.contracts.wire import Recorder

    recorder = Recorder(session_fakes_app())
    with serve(recorder) as url:
        yield url
    exchanges = recorder.take()
    problems = sorted({p for x in exchanges for p in check(x)})
    Path(audit).write_text(f"{len(exchanges)} exchanges\n" + "\n".join(problems) + "\n")


@pytest.fixture
def fakes(fakes_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=fakes_url, timeout=10) as client:
        yield client
        client.post("/_control/sendgrid", json={"fail_next": 0, "delay": 0})
