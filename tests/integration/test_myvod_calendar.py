"""The release calendar's iCal feed at a secret URL: arrivals of titles on my lists in my
region, without a token; a new key replaces the old; revoked keys answer 404."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from fastapi.testclient import TestClient

from domain.myvod.ids import title_id_for
from infrastructure.bootstrap import Container
from tests.support import myvod as support
from tests.support.myvod import catalogue_movies, new_user
from tests.support.polling import eventually
from tests.support.system import running_projector

myvod_container = support.myvod_container
myvod_client = support.myvod_client


def key_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["key"][0]


def test_the_feed_lists_arrivals_on_my_lists_behind_a_revocable_key(
    myvod_container: Container, myvod_client: TestClient
) -> None:
    c, client = myvod_container, myvod_client
    movie = next(
        m
        for m in catalogue_movies()[80:]
        if any(s["region"] == "PL" and s["type"] == "sub" for s in m["sources"])
    )
    with running_projector(c):
        _, auth = new_user(client)
        client.put("/me/watchlist/services", json={"region": "PL", "services": []}, headers=auth)
        made = client.post("/me/lists", json={"name": "Someday"}, headers=auth).json()
        client.post(f"/me/lists/{made['id']}/items", json={"tmdb_id": movie["id"]}, headers=auth)
        c.myvod.enrich_title(title_id_for(movie["id"]))
        c.myvod.refresh_availability(title_id_for(movie["id"]))
        old = client.post("/me/calendar", headers=auth).json()["url"]
        url = client.post("/me/calendar", headers=auth).json()["url"]
        assert urlsplit(url).path == "/me/calendar.ics"

        def feed() -> str | None:
            answer = client.get("/me/calendar.ics", params={"key": key_of(url)})
            return answer.text if movie["title"] in answer.text else None

        text = eventually(feed, message="the arrival never reached the feed")
        assert client.get("/me/calendar.ics", params={"key": key_of(old)}).status_code == 404
        stored = c.database.fetch_all("SELECT key_hash FROM app.myvod_calendar_keys")
        assert key_of(url) not in str(stored)

        assert client.delete("/me/calendar", headers=auth).status_code == 204
        assert client.get("/me/calendar.ics", params={"key": key_of(url)}).status_code == 404
        assert client.delete("/me/calendar", headers=auth).status_code == 204
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    pl = {s["name"] for s in movie["sources"] if s["region"] == "PL" and s["type"] == "sub"}
    assert text.count("BEGIN:VEVENT") >= len(pl)
    assert "in PL" in text and "in GB" not in text
    assert client.get("/me/calendar.ics", params={"key": "short"}).status_code == 422
    assert client.get("/me/calendar.ics").status_code == 422
    assert client.post("/me/calendar").status_code == 401
