"""MyVOD test helpers: a container whose TMDB/Watchmode (and optionally Gemini) adapters
point at the session's fakes server, a recording mailer, an API client on it, and polling
with a deadline (never a bare sleep)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TypeVar
from uuid import uuid4

import httpx
import pytest
from fastapi.testclient import TestClient

from infrastructure.bootstrap import Container, bootstrap
from infrastructure.settings import Settings
from tests.support.mailer import RecordingMailer
from tests.support.polling import eventually  # noqa: F401  (its old home; import it from polling)

T = TypeVar("T")


def fake_settings(settings: Settings, fakes_url: str, **extra: Any) -> Settings:
    return settings.model_copy(
        update={
            "tmdb_base_url": fakes_url,
            "tmdb_api_key": "test-tmdb-key",
            "watchmode_base_url": fakes_url,
            "watchmode_api_key": "test-watchmode-key",
            "watchmode_requests_per_minute": 60000.0,
            "gemini_base_url": fakes_url,
            "rate_limit_enabled": False,
            **extra,
        }
    )


@pytest.fixture(scope="module")
def myvod_container(settings: Settings, fakes_url: str) -> Iterator[Container]:
    container = bootstrap(fake_settings(settings, fakes_url))
    container.mailer = RecordingMailer()
    yield container
    container.close()


@pytest.fixture(scope="module")
def myvod_client(myvod_container: Container) -> Iterator[TestClient]:
    from interfaces.http.app import create_app

    with TestClient(create_app(myvod_container)) as client:
        yield client


@pytest.fixture
def control(fakes_url: str) -> Iterator[httpx.Client]:
    """The fakes' control endpoints; failure injection is cleared after the test."""
    with httpx.Client(base_url=fakes_url, timeout=10) as client:
        yield client
        for vendor in ("tmdb", "watchmode", "gemini"):
            client.post(f"/_control/{vendor}", json={"fail_next": 0})


def new_user(client: TestClient) -> tuple[str, dict[str, str]]:
    """Registers and logs in through the API; returns (email, auth headers)."""
    email = f"viewer-{uuid4().hex[:12]}@example.com"
    password = "a long enough password"
    assert (
        client.post("/auth/register", json={"email": email, "password": password}).status_code
        == 201
    )
    token = client.post("/auth/token", data={"username": email, "password": password})
    assert token.status_code == 200, token.text
    return email, {"Authorization": f"Bearer {token.json()['access_token']}"}


def catalogue_movies() -> list[dict[str, Any]]:
    from stand_ins.catalogue_state import bundled

    return list(bundled()["movies"])
