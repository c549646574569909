"""The MyVOD adapters against the vendor fakes over real HTTP: httpx for TMDB and
Watchmode, the official google-genai client for Gemini."""

from __future__ import annotations

import httpx
import pytest

from application.myvod.ports import TasteProfile, UpstreamRefused, UpstreamUnavailable
from infrastructure.adapters.gemini import GeminiSuggester, OfflineSuggester
from infrastructure.adapters.tmdb import TmdbCatalogue
from infrastructure.adapters.watchmode import WatchmodeAvailability, service_slug
from infrastructure.bootstrap import redis_client
from tests.support import myvod as support
from tests.support.myvod import catalogue_movies

control = support.control


def test_tmdb_search_and_details_with_api_key_and_with_bearer(fakes_url: str) -> None:
    movie = catalogue_movies()[5]
    for key in ("plain-v3-key", "eyJhbGciOiJIUzI1NiJ9.token"):
        tmdb = TmdbCatalogue(fakes_url, key)
        hits = tmdb.search(movie["title"])
        assert hits[0].tmdb_id == movie["id"]
        details = tmdb.details(movie["id"])
        assert details is not None and details.title == movie["title"]
        assert details.genres and details.year == int(movie["release_date"][:4])
    assert tmdb.details(123) is None


def test_tmdb_without_key_is_refused_with_tmdbs_error(fakes_url: str) -> None:
    with pytest.raises(UpstreamRefused, match="Invalid API key"):
        TmdbCatalogue(fakes_url, "").search("harbor")


def test_tmdb_5xx_and_long_429_are_temporary(fakes_url: str, control: httpx.Client) -> None:
    tmdb = TmdbCatalogue(fakes_url, "k")
    control.post("/_control/tmdb", json={"fail_next": 1, "status": 503})
    with pytest.raises(UpstreamUnavailable):
        tmdb.search("harbor")
    control.post("/_control/tmdb", json={"fail_next": 1, "status": 429, "retry_after": 30})
    with pytest.raises(UpstreamUnavailable) as caught:
        tmdb.search("harbor")
    assert caught.value.retry_after == 30


def test_tmdb_timeout_is_temporary(fakes_url: str, control: httpx.Client) -> None:
    control.post("/_control/tmdb", json={"fail_next": 1, "status": 0, "delay": 0.5})
    with pytest.raises(UpstreamUnavailable, match="timed out"):
        TmdbCatalogue(fakes_url, "k", timeout=0.1).search("harbor")


def test_watchmode_sources_by_tmdb_id_map_to_offers(fakes_url: str) -> None:
    movie = next(m for m in catalogue_movies() if m["sources"])
    found = WatchmodeAvailability(fakes_url, "k").availability(movie["id"], None)
    assert found.watchmode_id == movie["watchmode_id"]
    assert {(o["region"], o["type"]) for o in found.offers} == {
        (s["region"], {"sub": "stream"}.get(s["type"], s["type"])) for s in movie["sources"]
    }
    assert WatchmodeAvailability(fakes_url, "k").availability(1, None).offers == []


def test_watchmode_402_over_quota_is_refused_and_429_is_temporary(
    fakes_url: str, control: httpx.Client
) -> None:
    watchmode = WatchmodeAvailability(fakes_url, "k")
    control.post("/_control/watchmode", json={"fail_next": 1, "status": 402})
    with pytest.raises(UpstreamRefused, match="Over plan quota"):
        watchmode.availability(100001, None)
    control.post("/_control/watchmode", json={"fail_next": 2, "status": 429, "retry_after": 0})
    with pytest.raises(UpstreamUnavailable):
        watchmode.availability(100001, None)


def test_service_names_become_slugs() -> None:
    assert [service_slug(n) for n in ("Netflix", "Disney+", "HBO Max", "Apple TV+")] == [
        "netflix",
        "disneyplus",
        "hbomax",
        "appletvplus",
    ]


PROFILE = TasteProfile(
    titles=[
        {
            "title": catalogue_movies()[0]["title"],
            "year": 2011,
            "genres": ["Romance", "History"],
            "status": "watched",
            "rating": 9,
        }
    ]
)


def test_gemini_through_google_genai_returns_explained_suggestions(fakes_url: str) -> None:
    answer = GeminiSuggester("test-key", "gemini-2.5-flash", fakes_url).suggest(PROFILE, 4)
    assert answer.source == "gemini" and len(answer.items) == 4
    assert all(s.title and s.reason for s in answer.items)
    assert PROFILE.titles[0]["title"] not in {s.title for s in answer.items}


def test_gemini_429_is_temporary_with_its_retry_delay(
    fakes_url: str, control: httpx.Client
) -> None:
    control.post("/_control/gemini", json={"fail_next": 1, "status": 429, "retry_after": 7})
    with pytest.raises(UpstreamUnavailable) as caught:
        GeminiSuggester("test-key", "gemini-2.5-flash", fakes_url).suggest(PROFILE, 3)
    assert caught.value.retry_after == 7


def test_gemini_bad_request_is_refused(fakes_url: str, control: httpx.Client) -> None:
    control.post("/_control/gemini", json={"fail_next": 1, "status": 400})
    with pytest.raises(UpstreamRefused, match="400"):
        GeminiSuggester("test-key", "gemini-2.5-flash", fakes_url).suggest(PROFILE, 3)


def test_offline_suggester_answers_in_the_same_shape_and_says_so() -> None:
    answer = OfflineSuggester().suggest(PROFILE, 5)
    assert answer.source == "offline" and "offline" in (answer.note or "").lower()
    assert len(answer.items) == 5 and all(s.reason.startswith("Offline") for s in answer.items)


def test_shared_pacer_spaces_calls_across_processes_sharing_redis(redis_url: str) -> None:
    import threading
    import time
    from uuid import uuid4

    from infrastructure.adapters.myvod_http import SharedPacer

    key = f"test-{uuid4().hex}"
    pacers = [SharedPacer(redis_client(redis_url, 0.5), key, per_second=20.0) for _ in range(2)]
    started = time.monotonic()
    threads = [threading.Thread(target=lambda p=p: [p.wait() for _ in range(5)]) for p in pacers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # 10 calls at 20/s from two "processes": the 10th may start 9 intervals after the 1st.
    assert time.monotonic() - started >= 0.40


def test_shared_pacer_falls_back_to_local_pacing_without_redis() -> None:
    from infrastructure.adapters.myvod_http import SharedPacer

    pacer = SharedPacer(redis_client("redis://127.0.0.1:1/0", 0.5), "nowhere", per_second=1000.0)
    assert pacer.next_at == 0.0
    pacer.wait()
    pacer.wait()  # neither raised: an unreachable Redis never stops the call
    # and this process paced itself instead: two local slots of 1 ms were reserved
    assert pacer.next_at > 0.0
    assert pacer.interval == pytest.approx(0.001)


def test_tmdb_fake_watch_providers_follow_tmdbs_shape(fakes_url: str) -> None:
    movie = next(m for m in catalogue_movies() if any(o["type"] == "sub" for o in m["sources"]))
    offer = next(o for o in movie["sources"] if o["type"] == "sub")
    with httpx.Client(base_url=fakes_url, params={"api_key": "k"}) as tmdb:
        providers = tmdb.get(f"/3/movie/{movie['id']}/watch/providers").json()
        appended = tmdb.get(
            f"/3/movie/{movie['id']}", params={"append_to_response": "watch/providers"}
        ).json()
        missing = tmdb.get("/3/movie/1/watch/providers")
    region = providers["results"][offer["region"]]
    assert region["link"].startswith("https://www.themoviedb.org/movie/")
    assert offer["name"] in {p["provider_name"] for p in region["flatrate"]}
    assert appended["watch/providers"]["results"] == providers["results"]
    assert missing.status_code == 404
    assert missing.json() == {
        "status_code": 34,
        "status_message": "The resource you requested could not be found.",
        "success": False,
    }
