"""The MyVOD new-user flow against a real `kairos up` (api, projector, relay, worker, beat
and the vendor fakes as separate processes), ending with an availability alert that arrives
in the fake SendGrid mailbox exactly once."""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import httpx
import pytest

from infrastructure.embedded import free_port
from stand_ins.catalogue_state import bundled
from tests.support.polling import eventually
from tests.support.processes import Child
from tests.support.servers import fresh_database, postgres_server

CLEARED = [
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "CELERY_QUEUE",
    "DATA_DIR",
    "SENDGRID_API_KEY",
    "TMDB_API_KEY",
    "WATCHMODE_API_KEY",
    "GEMINI_API_KEY",
    "TMDB_BASE_URL",
    "WATCHMODE_BASE_URL",
    "GEMINI_BASE_URL",
    "SENDGRID_HOST",
]


@pytest.fixture
def database_url() -> Iterator[str]:
    with postgres_server() as server, fresh_database(server, "kairos_myvod_up") as url:
        yield url


def _healthy(base: str) -> bool:
    try:
        return httpx.get(f"{base}/health", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.mark.timeout(150)
def test_new_user_flow_against_kairos_up_ends_with_one_alert_email(
    tmp_path: Path, database_url: str, redis_url: str
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    data_dir = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    env.update(
        PYTHONUNBUFFERED="1",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        CELERY_QUEUE=f"kairos-myvod-up-{secrets.token_hex(4)}",
        BEAT_INTERVAL_SECONDS="1",
        MYVOD_REFRESH_AFTER_SECONDS="1",
        RATE_LIMIT_ENABLED="false",
    )
    movies = bundled()["movies"]
    movie = next(
        m
        for m in movies[250:]
        if m["poster_path"]
        and not any(o["region"] == "PL" and o["name"] == "Netflix" for o in m["sources"])
        and sum(m["title"].lower() in x["title"].lower() for x in movies) == 1
    )
    up = Child(["up", "--port", str(port), "--data-dir", str(data_dir)], env, tmp_path / "up.log")
    try:
        eventually(lambda: _healthy(base), timeout=60, message=up.output())
        fakes = json.loads((data_dir / "runtime.json").read_text())["tmdb_base_url"]
        api = httpx.Client(base_url=base, timeout=10)
        email, password = f"up-{uuid4().hex[:10]}@example.com", "a long enough password"
        assert api.post("/auth/register", json={"email": email, "password": password}).is_success
        token = api.post("/auth/token", data={"username": email, "password": password}).json()
        api.headers["Authorization"] = f"Bearer {token['access_token']}"
        # The address is confirmed from the local mailbox (unconfirmed ones get no alerts).
        confirmation = eventually(
            lambda: httpx.get(f"{fakes}/_mailbox", params={"to": email}).json(),
            timeout=30,
            message=up.output()[-3000:],
        )[0]
        link = confirmation["text"][confirmation["text"].index("/auth/verify?token=") :]
        verify_token = link.split()[0].split("token=")[1]
        assert api.post("/auth/verify", json={"token": verify_token}).status_code == 200

        assert api.put(
            "/me/watchlist/services", json={"region": "PL", "services": ["netflix"]}
        ).is_success
        added = api.post("/me/watchlist/items", json={"query": movie["title"]})
        assert added.status_code == 201, added.text

        def ready() -> dict | None:
            items = api.get("/me/watchlist").json()["items"]
            item = items[0] if items else None
            ok = item and item["poster_url"] and item["availability_checked_at"]
            return item if ok else None

        item = eventually(ready, timeout=30, message=up.output()[-3000:])
        assert item["tmdb_id"] == movie["id"] and item["poster_url"].startswith(fakes)
        assert httpx.get(item["poster_url"]).headers["content-type"].startswith("image/svg")
        assert api.get("/me/watchlist", params={"available": "true"}).json()["items"] == []

        assert api.post("/me/watchlist/suggestions").status_code == 202
        suggestions = eventually(
            lambda: (s := api.get("/me/watchlist/suggestions").json())["status"] == "ready" and s,
            timeout=30,
        )
        # With no key, `kairos up` routes suggestions to the Gemini fake (not offline).
        assert suggestions["source"] == "gemini", suggestions
        assert all(i["reason"] for i in suggestions["items"])

        other = movies[5]
        export = f'Name,Year,Rating\n"{other["title"]}",{other["release_date"][:4]},4\n'
        imported = api.post(
            "/me/watchlist/import", files={"file": ("ratings.csv", export, "text/csv")}
        )
        assert imported.json()["added"] == 1, imported.text

        changed = httpx.post(
            f"{fakes}/_control/availability",
            json={"tmdb_id": movie["id"], "region": "PL", "service": "Netflix", "type": "sub"},
        )
        assert changed.json()["ok"]

        def alerts() -> list[dict]:
            mail = httpx.get(f"{fakes}/_mailbox", params={"to": email}).json()
            return [m for m in mail if movie["title"] in m["subject"]]

        eventually(alerts, timeout=40, message=up.output()[-3000:])
        available = eventually(
            lambda: api.get("/me/watchlist", params={"available": "true"}).json()["items"],
            timeout=10,
        )
        assert [i["tmdb_id"] for i in available] == [movie["id"]]
        # Later ticks keep re-checking; the change is still alerted once.
        seen = api.get("/me/watchlist").json()["items"][0]["availability_checked_at"]
        eventually(
            lambda: api.get("/me/watchlist").json()["items"][0]["availability_checked_at"] != seen,
            timeout=20,
        )
        assert len(alerts()) == 1
    finally:
        up.stop()
