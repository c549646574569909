"""The fakes rate-limit by themselves, as the vendors do (hostile trial: no fake did, so the
pacers were never tested against a real limit): TMDB per second, Watchmode per minute and
per month, Gemini per minute. Our pacers keep under TMDB's limit, also when two processes
share one Redis pacer, and every refusal becomes a retry later or a clear refusal."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from uuid import uuid4

import httpx
import pytest

from application.myvod.ports import TasteProfile, UpstreamRefused, UpstreamUnavailable
from infrastructure.adapters.gemini import GeminiSuggester
from infrastructure.adapters.myvod_http import Pacer, SharedPacer
from infrastructure.adapters.tmdb import TmdbCatalogue
from infrastructure.adapters.watchmode import WatchmodeAvailability
from infrastructure.bootstrap import redis_client
from tests.support.fakes import TEST_KEYS, TEST_WINDOWS


@pytest.fixture
def limits(fakes_url: str) -> Iterator[httpx.Client]:
    """The fakes' access rules; the session's are put back after the test."""
    with httpx.Client(base_url=fakes_url, timeout=10) as client:
        yield client
        for vendor, keys in TEST_KEYS.items():
            window = TEST_WINDOWS[vendor]
            client.post(
                "/_control/access",
                json={
                    "vendor": vendor,
                    "keys": list(keys),
                    "requests": window.requests,
                    "seconds": window.seconds,
                    "quota": None,
                },
            )


def limit(
    client: httpx.Client, vendor: str, requests: int, seconds: float, **more: object
) -> list[str]:
    """Sets `vendor`'s window; returns fresh keys of its own (windows count per key)."""
    keys = [f"{vendor}-{uuid4().hex[:8]}" for _ in range(2)]
    body = {
        "vendor": vendor,
        "keys": [*TEST_KEYS[vendor], *keys],
        "requests": requests,
        "seconds": seconds,
        **more,
    }
    assert client.post("/_control/access", json=body).status_code == 200
    return keys


def test_tmdb_answers_429_with_code_25_over_its_per_second_limit(
    fakes_url: str, limits: httpx.Client
) -> None:
    key, _ = limit(limits, "tmdb", 10, 1.0)
    statuses = [
        limits.get("/3/search/movie", params={"api_key": key, "query": "harbor"}) for _ in range(20)
    ]
    refused = [r for r in statuses if r.status_code == 429]
    assert len(refused) >= 5
    assert refused[0].json()["status_code"] == 25 and int(refused[0].headers["Retry-After"]) >= 1


def test_the_shared_pacer_keeps_two_processes_under_tmdbs_real_limit(
    fakes_url: str, limits: httpx.Client, redis_url: str
) -> None:
    """Two adapters (an API and a worker process, say) pacing through one Redis key at the
    product's default rate make 2 x 30 searches against a fake limited to 40 per second:
    every search succeeds, and the fake refused at most a few (waited out in place)."""
    key, _ = limit(limits, "tmdb", 40, 1.0)
    refused_before = limits.get("/_control/access").json()["refused"].get("tmdb", 0)
    pace_key = f"tmdb:limit-test:{uuid4().hex}"
    failures: list[BaseException] = []

    def searches() -> None:
        tmdb = TmdbCatalogue(
            fakes_url, key, pacer=SharedPacer(redis_client(redis_url), pace_key, 40.0)
        )
        tmdb._image_base, tmdb._image_base_at = "http://x/", time.monotonic()
        try:
            for _ in range(30):
                tmdb.search("harbor")
        except BaseException as error:  # reported below
            failures.append(error)

    started = time.monotonic()
    threads = [threading.Thread(target=searches) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    elapsed = time.monotonic() - started
    assert not failures, failures
    assert elapsed >= 59 / 40.0 * 0.95  # paced: 60 calls at 40 per second
    refused = limits.get("/_control/access").json()["refused"].get("tmdb", 0) - refused_before
    assert refused <= 3


def test_unpaced_calls_over_tmdbs_limit_wait_out_a_short_retry_after(
    fakes_url: str, limits: httpx.Client
) -> None:
    key, _ = limit(limits, "tmdb", 5, 1.0)
    tmdb = TmdbCatalogue(fakes_url, key, pacer=Pacer(0))
    tmdb._image_base, tmdb._image_base_at = "http://x/", time.monotonic()
    for _ in range(8):  # the 6th is refused with Retry-After: 1, waited out once, then fine
        assert tmdb.search("harbor")


def test_watchmode_over_its_per_minute_limit_is_temporary_with_retry_after(
    fakes_url: str, limits: httpx.Client
) -> None:
    key, _ = limit(limits, "watchmode", 3, 60.0)
    watchmode = WatchmodeAvailability(fakes_url, key, pacer=Pacer(0))
    for _ in range(3):
        watchmode.availability(100001, 9000001)
    with pytest.raises(UpstreamUnavailable) as caught:
        watchmode.availability(100001, 9000001)
    assert caught.value.retry_after is not None and 50 <= caught.value.retry_after <= 60


def test_watchmode_over_its_monthly_quota_is_refused_with_402(
    fakes_url: str, limits: httpx.Client
) -> None:
    key, _ = limit(limits, "watchmode", 1000, 60.0, quota=2)
    first = limits.get("/v1/sources/", params={"apiKey": key})
    assert (first.headers["X-Account-Quota"], first.headers["X-Account-Quota-Used"]) == ("2", "1")
    assert first.headers["X-RateLimit-Remaining"] == "999"
    watchmode = WatchmodeAvailability(fakes_url, key, pacer=Pacer(0))
    watchmode.availability(100001, 9000001)
    with pytest.raises(UpstreamRefused, match="Over plan quota"):
        watchmode.availability(100001, 9000001)


def test_gemini_over_its_per_minute_limit_is_temporary_with_its_retry_delay(
    fakes_url: str, limits: httpx.Client
) -> None:
    key, _ = limit(limits, "gemini", 2, 60.0)
    profile = TasteProfile(titles=[])
    suggester = GeminiSuggester(key, "gemini-2.5-flash-lite", fakes_url)
    for _ in range(2):
        assert suggester.suggest(profile, 2).items
    with pytest.raises(UpstreamUnavailable, match="429") as caught:
        suggester.suggest(profile, 2)
    assert caught.value.retry_after is not None and 50 <= caught.value.retry_after <= 60
