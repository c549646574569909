"""CI smoke of the load script: ~10 s of the mixed traffic in-process (ASGI transport) against
the session's database and the local fakes. No timing assertions: only that the mix runs and
nothing fails. The real run is manual (docs/reliability.md)."""

from __future__ import annotations

import asyncio
from uuid import uuid4

import httpx
import pytest

from infrastructure.bootstrap import bootstrap
from infrastructure.settings import Settings
from interfaces.http.app import create_app
from tests.load.mixed import PASSWORD, run_load
from tests.support.myvod import fake_settings
from tests.support.system import running_projector


@pytest.mark.slow
def test_the_mixed_load_runs_for_ten_seconds_without_errors(
    settings: Settings, fakes_url: str
) -> None:
    container = bootstrap(fake_settings(settings, fakes_url))
    researchers = [f"smoke-researcher-{uuid4().hex[:8]}@example.com" for _ in range(2)]
    try:
        for email in researchers:
            container.identity.register(email, PASSWORD, ("researcher",))
        app = create_app(container)

        async def go():  # type: ignore[no-untyped-def]
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://testserver", timeout=30
            ) as client:
                return await run_load(client, researchers, members=3, duration=10, concurrency=4)

        with running_projector(container):
            figures = asyncio.run(go())
    finally:
        container.close()
    summary = figures.summary()
    print(summary)
    assert summary["requests"] > 20
    assert summary["errors"] == 0, summary["error_kinds"]
    assert {"watchlist", "campaigns", "survey_unknown"} <= set(summary["by_action"])
