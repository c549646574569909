"""Suggestions: Gemini (through google-genai, against the fake) resolved to TMDB ids, and
the offline fallback when Gemini refuses."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import uuid4

import httpx
import pytest

from domain.myvod.ids import title_id_for, watchlist_id_for
from domain.myvod.watchlist import Watchlist
from infrastructure.adapters.gemini import GeminiSuggester
from infrastructure.bootstrap import Container
from tests.support import myvod as support
from tests.support.myvod import catalogue_movies
from tests.support.polling import eventually
from tests.support.system import running_projector

myvod_container = support.myvod_container
control = support.control


@pytest.fixture
def with_gemini(myvod_container: Container, fakes_url: str) -> Iterator[Container]:
    app = myvod_container.myvod
    app.suggester = GeminiSuggester("test-key", "gemini-2.5-flash", fakes_url)
    try:
        yield myvod_container
    finally:
        app.suggester = None


def requested(c: Container) -> tuple[object, str]:
    account_id, _ = c.identity.register(f"s-{uuid4().hex[:12]}@example.com", "long password 1")
    movie = catalogue_movies()[30]
    c.myvod.add_title(account_id, tmdb_id=movie["id"])
    c.myvod.enrich_title(title_id_for(movie["id"]))
    request_id, position = c.myvod.request_suggestions(account_id)
    c.database.wait_for("myvod_views", "myvod", position, 5)
    return account_id, request_id


def made(c: Container, account_id: object) -> Watchlist.SuggestionsMade:
    events = c.myvod.repository.event_store.get(watchlist_id_for(account_id))  # type: ignore[arg-type]
    return next(e for e in events if isinstance(e, Watchlist.SuggestionsMade))


def test_gemini_suggestions_are_explained_and_resolved_to_tmdb_ids(with_gemini: Container) -> None:
    c = with_gemini
    with running_projector(c):
        account_id, request_id = requested(c)
        assert c.myvod.make_suggestions(watchlist_id_for(account_id), request_id) == "gemini"
        assert (
            c.myvod.make_suggestions(watchlist_id_for(account_id), request_id) == "already answered"
        )
    event = made(c, account_id)
    assert event.source == "gemini" and event.items
    known = {m["id"] for m in catalogue_movies()}
    assert all(i["tmdb_id"] in known and i["reason"] for i in event.items)


def test_gemini_refusal_falls_back_to_offline_suggestions(
    with_gemini: Container, control: httpx.Client
) -> None:
    c = with_gemini
    with running_projector(c):
        account_id, request_id = requested(c)
        control.post("/_control/gemini", json={"fail_next": 1, "status": 403})
        assert c.myvod.make_suggestions(watchlist_id_for(account_id), request_id) == "offline"
        from application.myvod.queries import suggestions_view

        view = eventually(
            lambda: (v := suggestions_view(c.database, account_id))["status"] == "ready" and v
        )
    assert view["offline"] is True and "offline" in view["note"]


@pytest.mark.parametrize(
    ("outcome", "why"),
    [
        ("blocked", "blocked the prompt"),
        ("max_tokens", "MAX_TOKENS"),
        ("safety", "stopped its answer (SAFETY)"),
    ],
)
def test_a_blocked_cut_or_stopped_gemini_answer_falls_back_offline_saying_why(
    with_gemini: Container, control: httpx.Client, outcome: str, why: str
) -> None:
    """Hostile trial: a blocked prompt used to come back as an empty 'gemini' answer."""
    c = with_gemini
    with running_projector(c):
        account_id, request_id = requested(c)
        control.post("/_control/gemini/outcome", json={"outcome": outcome})
        assert c.myvod.make_suggestions(watchlist_id_for(account_id), request_id) == "offline"
    event = made(c, account_id)
    assert event.source == "offline" and event.items
    assert why in (event.note or "")
