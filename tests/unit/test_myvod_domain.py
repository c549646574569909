"""Watchlist and Title: given events, when a command, then events (or a named error)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from domain.myvod.ids import title_id_for, watchlist_id_for
from domain.myvod.title import Title
from domain.myvod.watchlist import TitleAlreadyOnList, TitleNotOnList, Watchlist
from domain.shared.errors import InvalidInput, NotFound
from tests.support.decider import Command, given
from tests.support.decider import then as new_events

AT = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def added(tmdb_id: int) -> Command[Watchlist]:
    return lambda watchlist: watchlist.add_title(tmdb_id, title_id_for(tmdb_id), AT)


def watchlist_with(*tmdb_ids: int) -> Watchlist:
    return given(Watchlist(account_id=uuid4()), *[added(t) for t in tmdb_ids])


def test_ids_are_deterministic() -> None:
    account = uuid4()
    assert Watchlist(account_id=account).id == watchlist_id_for(account)
    assert Title(tmdb_id=42, title_hint=None, year_hint=None).id == title_id_for(42)
    assert title_id_for(42) != title_id_for(43)


def test_adding_a_title_twice_is_a_conflict() -> None:
    watchlist = watchlist_with(550)
    with pytest.raises(TitleAlreadyOnList):
        watchlist.add_title(550, title_id_for(550), AT)
    assert new_events(watchlist) == []


def test_removing_a_title_not_on_the_list_is_not_found() -> None:
    with pytest.raises(TitleNotOnList) as caught:
        watchlist_with().remove_title(1)
    assert isinstance(caught.value, NotFound)


@pytest.mark.parametrize("rating", [0, 11, -1])
def test_rating_outside_1_to_10_is_refused(rating: int) -> None:
    with pytest.raises(InvalidInput):
        watchlist_with(7).mark_watched(7, rating, AT)


def test_marking_watched_twice_with_the_same_rating_records_once() -> None:
    watchlist = watchlist_with(7)
    assert watchlist.mark_watched(7, 8, AT)
    assert not watchlist.mark_watched(7, 8, AT)
    assert watchlist.mark_watched(7, 9, AT)
    assert new_events(watchlist) == ["TitleWatched", "TitleWatched"]


def test_services_are_normalised_and_region_checked() -> None:
    watchlist = watchlist_with()
    watchlist.choose_services(" pl ", ["Netflix", "netflix", "hbomax"])
    assert (watchlist.region, watchlist.services) == ("PL", ["netflix", "hbomax"])
    with pytest.raises(InvalidInput):
        watchlist.choose_services("Poland", ["netflix"])
    with pytest.raises(InvalidInput):
        watchlist.choose_services("PL", ["not a service!"])


def test_note_is_private_per_title_and_bounded() -> None:
    watchlist = watchlist_with(7)
    watchlist.write_note(7, "  Ada recommended it  ")
    watchlist.write_note(7, "Ada recommended it")
    assert new_events(watchlist) == ["NoteWritten"]
    with pytest.raises(InvalidInput):
        watchlist.write_note(7, "x" * 501)


def test_an_alert_is_raised_once_per_change() -> None:
    watchlist = watchlist_with(7)
    offer = {"region": "PL", "service": "netflix", "type": "stream", "url": None}
    assert watchlist.raise_alert("myvod:10", 7, "Film", [offer])
    assert not watchlist.raise_alert("myvod:10", 7, "Film", [offer])
    assert watchlist.raise_alert("myvod:11", 7, "Film", [offer])
    assert new_events(watchlist) == ["AvailabilityAlertRaised", "AvailabilityAlertRaised"]


def test_suggestions_are_recorded_once_per_request() -> None:
    watchlist = watchlist_with()
    watchlist.request_suggestions("r1", AT)
    assert watchlist.record_suggestions("r1", [{"title": "X", "reason": "y"}], "offline", None)
    assert not watchlist.record_suggestions("r1", [], "offline", None)
    with pytest.raises(NotFound):
        watchlist.record_suggestions("r2", [], "offline", None)


def test_title_is_enriched_once_and_unknown_stays_unknown() -> None:
    title = Title(tmdb_id=1, title_hint="Hint", year_hint=None)
    details = dict(
        title="Real",
        year=2001,
        poster_path="/p.jpg",
        poster_url="u",
        overview="o",
        genres=["Drama"],
        runtime=90,
    )
    assert title.enrich(**details)
    assert not title.enrich(**details)
    assert not title.mark_unknown("gone")
    assert new_events(title) == ["Registered", "Enriched"]
    unknown = Title(tmdb_id=2, title_hint=None, year_hint=None)
    assert unknown.mark_unknown("no such id") and not unknown.enrich(**details)
    assert unknown.status == "unknown"


def test_availability_changes_record_what_was_added_and_removed() -> None:
    title = Title(tmdb_id=1, title_hint=None, year_hint=None)
    netflix = {"region": "PL", "service": "netflix", "type": "stream", "url": "a"}
    mubi = {"region": "PL", "service": "mubi", "type": "stream", "url": "b"}
    assert title.record_availability([netflix], 9, AT) == "initial"
    assert title.record_availability([netflix], 9, AT + timedelta(hours=1)) == "unchanged"
    assert title.record_availability([mubi], 9, AT + timedelta(hours=2)) == "changed"
    events = title.collect_events()
    changed = events[-1]
    assert isinstance(changed, Title.AvailabilityChanged)
    assert [o["service"] for o in changed.added] == ["mubi"]
    assert [o["service"] for o in changed.removed] == ["netflix"]
    assert changed.initial is False and events[1].initial is True
    assert isinstance(events[2], Title.AvailabilityChecked)


def test_unknown_offer_type_is_refused() -> None:
    title = Title(tmdb_id=1, title_hint=None, year_hint=None)
    with pytest.raises(InvalidInput):
        title.record_availability([{"region": "PL", "service": "x", "type": "lease"}], None, AT)


def test_a_watched_date_is_recorded_and_one_in_the_future_is_refused() -> None:
    from datetime import timedelta

    watchlist = watchlist_with(7)
    assert watchlist.mark_watched(7, 8, AT, AT - timedelta(days=400))
    assert watchlist.items["7"]["watched_on"] == (AT - timedelta(days=400)).date().isoformat()
    assert not watchlist.mark_watched(7, 8, AT, AT - timedelta(days=400))
    assert watchlist.mark_watched(7, 8, AT, AT - timedelta(days=3))
    with pytest.raises(InvalidInput, match="future"):
        watchlist.mark_watched(7, 8, AT, AT + timedelta(days=3))
