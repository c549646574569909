"""Gemini through google-genai 3.x against the vendor's real failure modes (hostile trial):
its transport errors escaped the adapter (the task dead-lettered, no offline fallback), and
a model Google no longer serves failed silently."""

from __future__ import annotations

import httpx
import pytest

from application.myvod.ports import TasteProfile, UpstreamRefused, UpstreamUnavailable
from infrastructure.adapters import gemini as gemini_adapter
from infrastructure.adapters.gemini import GeminiSuggester, OfflineSuggester
from infrastructure.embedded import free_port
from infrastructure.observability import SharedCounters
from infrastructure.settings import Settings
from stand_ins.gemini import RETIRED_MODELS
from tests.support import myvod as support

myvod_container = support.myvod_container
myvod_client = support.myvod_client
control = support.control

PROFILE = TasteProfile(
    titles=[
        {"title": "Alien", "year": 1979, "genres": ["Horror"], "status": "watched", "rating": 9}
    ]
)


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gemini_adapter.time, "sleep", lambda _: None)


def test_a_refused_connection_is_retried_then_reported_as_unavailable() -> None:
    closed = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    counters = SharedCounters()  # this process's counts, as the composition root hands them
    suggester = GeminiSuggester(
        "test-key", "gemini-2.5-flash-lite", closed, timeout_ms=2000, counters=counters
    )
    before = counters.totals()
    with pytest.raises(UpstreamUnavailable, match="unreachable"):
        suggester.suggest(PROFILE, 3)
    key = '["suggester_errors", [["status", "transport"], ["vendor", "gemini"]]]'
    assert counters.totals().get(key, 0) - before.get(key, 0) == gemini_adapter.TRANSPORT_ATTEMPTS


def test_a_timeout_is_retried_then_reported_as_unavailable(
    fakes_url: str, control: httpx.Client
) -> None:
    control.post("/_control/gemini", json={"fail_next": 3, "status": 0, "delay": 2.0})
    suggester = GeminiSuggester("test-key", "gemini-2.5-flash-lite", fakes_url, timeout_ms=300)
    with pytest.raises(UpstreamUnavailable, match=r"timed out|unreachable"):
        suggester.suggest(PROFILE, 3)


def test_a_model_google_no_longer_serves_is_refused_and_logged(
    fakes_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    suggester = GeminiSuggester("test-key", "gemini-1.5-flash", fakes_url)
    with pytest.raises(UpstreamRefused, match="does not serve the model"):
        suggester.suggest(PROFILE, 3)
    assert any("GEMINI_MODEL" in r.getMessage() for r in caplog.records)


def test_the_default_model_is_one_google_still_serves(fakes_url: str) -> None:
    model = Settings.model_fields["gemini_model"].default
    assert model not in RETIRED_MODELS
    answer = GeminiSuggester("test-key", model, fakes_url).suggest(PROFILE, 3)
    assert answer.source == "gemini"


def test_suggestions_fall_back_offline_saying_why_when_gemini_is_unreachable(
    myvod_container,
    myvod_client,  # type: ignore[no-untyped-def]
) -> None:
    from tests.support.myvod import eventually, new_user
    from tests.support.system import running_projector

    c = myvod_container
    saved = (c.myvod.suggester, c.myvod.offline_suggester)
    closed = f"http://127.0.0.1:{free_port()}"
    c.myvod.suggester = GeminiSuggester("k", "gemini-2.5-flash-lite", closed, timeout_ms=500)
    c.myvod.offline_suggester = OfflineSuggester()
    try:
        with running_projector(c):
            email, auth = new_user(myvod_client)
            request_id = myvod_client.post("/me/watchlist/suggestions", headers=auth).json()[
                "request_id"
            ]
            watchlist_id = c.myvod._watchlist(c.identity.account_id_for(email)).id
            assert c.myvod.make_suggestions(watchlist_id, request_id) == "offline"
            view = eventually(
                lambda: (
                    (v := myvod_client.get("/me/watchlist/suggestions", headers=auth).json())[
                        "status"
                    ]
                    == "ready"
                    and v
                )
            )
    finally:
        c.myvod.suggester, c.myvod.offline_suggester = saved
    assert view["offline"] is True and "unreachable" in view["note"]
