"""Watchmode: the adapter's requests and the fake's answers against Watchmode's OpenAPI
(reconstructed from its official SDK and docs): both path forms, the three documented key
placements, rate-limit and quota headers on success, 401/402/404/429 bodies."""

from __future__ import annotations

import pytest

from application.myvod.ports import UpstreamRefused, UpstreamUnavailable
from infrastructure.adapters.watchmode import WatchmodeAvailability
from tests.contracts.conftest import Wire
from tests.support.myvod import catalogue_movies

KEY = "test-watchmode-key"


def test_the_adapters_calls_and_the_fakes_answers_keep_watchmodes_contract(wire: Wire) -> None:
    movie = next(m for m in catalogue_movies() if m["sources"])
    watchmode = WatchmodeAvailability(wire.url, KEY)
    found = watchmode.availability(movie["id"], None)
    assert found.offers
    assert watchmode.availability(1, None).offers == []
    assert watchmode.services("US")
    calls = wire.checked()
    assert all(x.headers["x-api-key"] == KEY for x in calls)
    assert all("x-account-quota-used" in x.response_headers for x in calls)


@pytest.mark.parametrize("slash", ["/", ""])
def test_paths_with_and_without_the_trailing_slash_answer_alike(wire: Wire, slash: str) -> None:
    movie = next(m for m in catalogue_movies() if m["sources"])
    key = {"apiKey": KEY}
    search = wire.control.get(
        f"/v1/search{slash}",
        params={**key, "search_field": "tmdb_movie_id", "search_value": movie["id"]},
    )
    assert search.status_code == 200 and search.json()["title_results"]
    assert wire.control.get(f"/v1/title/{movie['watchmode_id']}/sources{slash}", params=key).json()
    assert wire.control.get(f"/v1/sources{slash}", params=key).json()
    assert wire.control.get(f"/v1/title/1/sources{slash}", params=key).status_code == 404
    wire.checked()


@pytest.mark.parametrize(
    "placement",
    [
        {"params": {"apiKey": KEY}},
        {"headers": {"X-API-Key": KEY}},
        {"headers": {"Authorization": f"Bearer {KEY}"}},
    ],
    ids=["query", "header", "bearer"],
)
def test_every_documented_key_placement_is_accepted(wire: Wire, placement: dict) -> None:  # type: ignore[type-arg]
    assert wire.control.get("/v1/sources/", **placement).status_code == 200
    wire.checked()


def test_a_wrong_watchmode_key_is_a_401(wire: Wire) -> None:
    with pytest.raises(UpstreamRefused, match="401"):
        WatchmodeAvailability(wire.url, "not-a-watchmode-key").availability(100001, None)
    (refused,) = wire.checked()
    assert refused.status == 401 and refused.response_json()["statusCode"] == 401


def test_injected_402_and_429_keep_the_contract(wire: Wire) -> None:
    watchmode = WatchmodeAvailability(wire.url, KEY)
    wire.control.post("/_control/watchmode", json={"fail_next": 1, "status": 402})
    with pytest.raises(UpstreamRefused, match="Over plan quota"):
        watchmode.availability(100001, None)
    wire.control.post("/_control/watchmode", json={"fail_next": 2, "status": 429, "retry_after": 0})
    with pytest.raises(UpstreamUnavailable):
        watchmode.availability(100001, None)
    wire.checked()


def test_the_checker_catches_a_success_without_quota_headers(wire: Wire) -> None:
    from tests.contracts.checker import watchmode

    wire.control.get("/v1/sources/", params={"apiKey": KEY})
    (x,) = wire.recorder.take()
    x.response_headers.pop("x-account-quota-used")
    x.response_body = b'[{"id": "1"}]'
    problems = watchmode(x)
    assert any("x-account-quota-used" in p for p in problems)
    assert any("not of type" in p for p in problems)
