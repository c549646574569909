"""TMDB: the adapter's requests and the fake's answers (successes and every error it gives)
against TMDB's OpenAPI file and its documented error codes."""

from __future__ import annotations

import httpx
import pytest

from application.myvod.ports import UpstreamRefused, UpstreamUnavailable
from infrastructure.adapters.tmdb import TmdbCatalogue
from tests.contracts.conftest import Wire
from tests.support.myvod import catalogue_movies

KEY = "test-tmdb-key"
BEARER = "eyJhbGciOiJIUzI1NiJ9.token"


def test_the_adapters_calls_and_the_fakes_answers_keep_tmdbs_contract(wire: Wire) -> None:
    movie = next(m for m in catalogue_movies() if m["imdb_id"])
    for key in (KEY, BEARER):
        tmdb = TmdbCatalogue(wire.url, key)
        assert tmdb.search(movie["title"], int(movie["release_date"][:4]))
        assert tmdb.find_imdb(movie["imdb_id"]) is not None
        details = tmdb.details(movie["id"])
        assert details is not None and details.poster_url
        assert tmdb.details(999_999_999) is None
    calls = wire.checked()
    assert {x.path for x in calls} >= {
        "/3/search/movie",
        "/3/configuration",
        "/3/find/" + movie["imdb_id"],
    }


def test_the_fakes_other_answers_keep_tmdbs_contract(wire: Wire) -> None:
    movie = catalogue_movies()[0]
    key = {"api_key": KEY}
    wire.control.get(f"/3/movie/{movie['id']}/watch/providers", params=key)
    wire.control.get(f"/3/movie/{movie['id']}", params=key)
    wire.control.get("/3/search/movie", params={**key, "query": "zzzz-nothing"})
    wire.control.get("/3/search/movie", params={**key, "query": "a", "page": 0})
    wire.checked()


def test_a_wrong_tmdb_key_is_a_401_with_status_code_7(wire: Wire) -> None:
    with pytest.raises(UpstreamRefused, match="Invalid API key"):
        TmdbCatalogue(wire.url, "not-a-key-tmdb-gave").search("harbor")
    (refused,) = wire.checked()
    assert refused.status == 401 and refused.response_json()["status_code"] == 7


@pytest.mark.parametrize("status", [401, 404, 429, 500, 503, 504])
def test_injected_tmdb_failures_carry_the_documented_status_codes(wire: Wire, status: int) -> None:
    wire.control.post("/_control/tmdb", json={"fail_next": 1, "status": status, "retry_after": 30})
    with pytest.raises((UpstreamRefused, UpstreamUnavailable)) if status != 404 else _none():
        TmdbCatalogue(wire.url, KEY).search("harbor")
    (failed,) = wire.checked()
    assert failed.status == status


class _none:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return False


def test_tmdb_keys_go_as_documented(wire: Wire) -> None:
    TmdbCatalogue(wire.url, KEY).search("harbor")
    TmdbCatalogue(wire.url, BEARER).search("harbor")
    plain, bearer = [x for x in wire.checked() if x.path == "/3/search/movie"]
    assert dict(plain.query)["api_key"] == KEY and "authorization" not in plain.headers
    assert bearer.headers["authorization"] == f"Bearer {BEARER}" and "api_key" not in dict(
        bearer.query
    )


def test_the_checker_catches_a_broken_tmdb_answer(wire: Wire) -> None:
    """The contract test is not vacuous: a field missing from a search hit, an undocumented
    parameter and a status code that does not go with its HTTP status all fail."""
    from tests.contracts.checker import tmdb

    httpx.get(f"{wire.url}/3/search/movie", params={"api_key": KEY, "query": "harbor", "bogus": 1})
    (x,) = wire.recorder.take()
    body = x.response_json()
    body["results"][0].pop("title")
    x.response_body = __import__("json").dumps(body).encode()
    problems = tmdb(x)
    assert any("bogus" in p for p in problems) and any("title" in p for p in problems)
    x.status, x.response_body = 404, b'{"status_code": 7, "status_message": "x", "success": false}'
    assert any("belongs with HTTP 401" in p for p in tmdb(x))


def test_a_malformed_page_or_id_gets_tmdbs_error_not_a_framework_422(wire: Wire) -> None:
    key = {"api_key": KEY}
    page = wire.control.get("/3/search/movie", params={**key, "query": "a", "page": "abc"})
    assert (page.status_code, page.json()["status_code"]) == (400, 22)
    providers = wire.control.get("/3/movie/abc/watch/providers", params=key)
    assert (providers.status_code, providers.json()["status_code"]) == (404, 34)
    from tests.contracts.checker import tmdb_error

    for x in wire.recorder.take():
        assert not tmdb_error(x.status, x.response_json(), str(x))
