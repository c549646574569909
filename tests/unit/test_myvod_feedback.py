"""Feedback on suggested picks: the Watchlist's command (given/when/then), and how the
offline suggester and the Gemini prompt use it."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from application.myvod.ports import TasteProfile
from domain.myvod.watchlist import Watchlist, feedback_key
from domain.shared.errors import InvalidInput
from infrastructure.adapters.gemini import OfflineSuggester, prompt_for
from tests.support.decider import given, then, then_events

AT = datetime(2026, 12, 8, 21, 0, tzinfo=UTC)


def started() -> Watchlist:
    return given(Watchlist(account_id=uuid4()))


def test_a_verdict_on_a_pick_is_recorded_once_and_a_new_one_replaces_it() -> None:
    watchlist = started()
    assert watchlist.give_feedback("  Heat ", 1995, 949, "not_interested", AT)
    [event] = then_events(watchlist)
    assert (event.key, event.title, event.verdict) == ("tmdb:949", "Heat", "not_interested")
    assert not watchlist.give_feedback("Heat", 1995, 949, "not_interested", AT)
    assert then(watchlist) == []
    watchlist.give_feedback("Heat", 1995, 949, "seen", AT)
    assert then(watchlist) == ["SuggestionFeedbackGiven"]
    assert watchlist.feedback == {"tmdb:949": "seen"}


def test_feedback_survives_a_replay() -> None:
    watchlist = given(
        Watchlist(account_id=uuid4()),
        lambda w: w.give_feedback("Zzq Unknown", 2001, None, "liked", AT),
    )
    assert watchlist.feedback == {feedback_key(None, "zzq  unknown", 2001): "liked"}


@pytest.mark.parametrize(
    ("title", "year", "tmdb_id", "verdict"),
    [
        ("Heat", 1995, 949, "meh"),
        ("   ", 1995, 949, "liked"),
        ("x" * 301, None, None, "liked"),
        ("Heat", 1995, 0, "liked"),
        ("Heat", 1500, None, "liked"),
    ],
)
def test_bad_feedback_is_refused_and_records_nothing(
    title: str, year: int | None, tmdb_id: int | None, verdict: str
) -> None:
    watchlist = started()
    with pytest.raises(InvalidInput):
        watchlist.give_feedback(title, year, tmdb_id, verdict, AT)
    assert then(watchlist) == []


def offline_titles(profile: TasteProfile) -> list[str]:
    return [s.title for s in OfflineSuggester().suggest(profile, 5).items]


def test_offline_picks_move_towards_liked_genres_and_never_repeat_judged_ones() -> None:
    plain = offline_titles(TasteProfile())
    first, second = plain[0], plain[1]
    judged = TasteProfile(
        feedback=[
            {"title": first, "year": None, "verdict": "not_interested", "genres": ["Horror"]},
            {"title": second, "year": None, "verdict": "seen", "genres": []},
        ],
        avoid=[first, second],
    )
    picks = offline_titles(judged)
    assert first not in picks and second not in picks
    liked = TasteProfile(
        feedback=[{"title": "x", "year": None, "verdict": "liked", "genres": ["Horror"]}]
    )
    reasons = [s.reason for s in OfflineSuggester().suggest(liked, 3).items]
    assert all("horror like x which you liked" in r for r in reasons), reasons


def test_the_gemini_prompt_says_what_was_liked_seen_and_not_wanted() -> None:
    profile = TasteProfile(
        titles=[{"title": "Alien", "year": 1979, "genres": ["Horror"], "status": "to_watch"}],
        feedback=[
            {"title": "Heat", "year": 1995, "verdict": "liked"},
            {"title": "Up", "year": 2009, "verdict": "not_interested"},
        ],
        avoid=["Alien", "Heat", "Up", "Brazil"],
    )
    text = prompt_for(profile, 5)
    assert "- Heat (1995): liked the suggestion" in text
    assert "- Up (2009): is not interested" in text
    assert "Never suggest these either: Heat; Up; Brazil." in text
