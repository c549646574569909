"""MyVOD routes beyond the happy flow: watched/rating, private note, remove, validation,
search caching, and isolation between users."""

from __future__ import annotations

import httpx
from fastapi.testclient import TestClient

from infrastructure.bootstrap import Container
from tests.support import myvod as support
from tests.support.myvod import catalogue_movies, new_user
from tests.support.system import running_projector

myvod_container = support.myvod_container
myvod_client = support.myvod_client
control = support.control


def test_watch_rate_note_and_remove_a_title(
    myvod_container: Container, myvod_client: TestClient
) -> None:
    client = myvod_client
    movie = catalogue_movies()[160]
    with running_projector(myvod_container):
        _, auth = new_user(client)
        _, stranger = new_user(client)
        assert (
            client.post(
                "/me/watchlist/items", json={"tmdb_id": movie["id"]}, headers=auth
            ).status_code
            == 201
        )

        unrated = client.post(f"/me/watchlist/items/{movie['id']}/watched", headers=auth)
        assert (unrated.status_code, unrated.json()["rating"]) == (200, None)
        watched = client.post(
            f"/me/watchlist/items/{movie['id']}/watched", json={"rating": 8}, headers=auth
        )
        assert watched.status_code == 200
        assert (watched.json()["status"], watched.json()["rating"]) == ("watched", 8)
        bad = client.post(
            f"/me/watchlist/items/{movie['id']}/watched", json={"rating": 11}, headers=auth
        )
        assert bad.status_code == 422

        noted = client.put(
            f"/me/watchlist/items/{movie['id']}/note",
            json={"note": "Ada recommended it"},
            headers=auth,
        )
        assert noted.json()["note"] == "Ada recommended it"
        analytic = myvod_container.database.fetch_all(
            "SELECT * FROM read.myvod_items WHERE tmdb_id = %s", (movie["id"],)
        )
        assert "Ada recommended it" not in str(analytic)

        assert client.get("/me/watchlist", headers=stranger).json()["items"] == []
        assert (
            client.delete(f"/me/watchlist/items/{movie['id']}", headers=stranger).status_code == 404
        )
        assert client.delete(f"/me/watchlist/items/{movie['id']}", headers=auth).status_code == 204
        assert client.get("/me/watchlist", headers=auth).json()["items"] == []


def test_bad_requests_are_4xx_with_a_detail(
    myvod_container: Container, myvod_client: TestClient
) -> None:
    client = myvod_client
    with running_projector(myvod_container):
        _, auth = new_user(client)
    assert client.get("/me/watchlist").status_code == 401
    both = client.post("/me/watchlist/items", json={"tmdb_id": 1, "query": "x"}, headers=auth)
    assert both.status_code == 422
    nothing = client.post("/me/watchlist/items", json={"query": "zzqx no such film"}, headers=auth)
    assert nothing.status_code == 404 and "zzqx" in nothing.json()["detail"]
    region = client.put(
        "/me/watchlist/services", json={"region": "P1", "services": []}, headers=auth
    )
    assert region.status_code == 422
    csv = client.post(
        "/me/watchlist/import", files={"file": ("x.csv", b"a,b\n1,2\n", "text/csv")}, headers=auth
    )
    assert csv.status_code == 422 and "Letterboxd" in csv.json()["detail"]
    assert client.get("/me/watchlist/suggestions", headers=auth).json()["status"] == "none"


def test_tmdb_down_is_a_429_with_retry_after_not_a_500(
    myvod_container: Container, myvod_client: TestClient, control: httpx.Client
) -> None:
    with running_projector(myvod_container):
        _, auth = new_user(myvod_client)
    control.post("/_control/tmdb", json={"fail_next": 1, "status": 503})
    busy = myvod_client.post("/me/watchlist/items", json={"query": "harbor"}, headers=auth)
    assert busy.status_code == 429 and busy.headers["Retry-After"]


def test_title_search_is_served_from_the_cache_the_second_time(
    myvod_container: Container, myvod_client: TestClient, control: httpx.Client
) -> None:
    with running_projector(myvod_container):
        _, auth = new_user(myvod_client)
    movie = catalogue_movies()[170]
    first = myvod_client.get("/titles/search", params={"q": movie["title"]}, headers=auth)
    assert first.status_code == 200
    assert first.json()["results"][0]["tmdb_id"] == movie["id"]
    calls = control.get("/_control/calls").json()["tmdb"]
    second = myvod_client.get(
        "/titles/search", params={"q": f"  {movie['title'].upper()} "}, headers=auth
    )
    assert second.json() == first.json()
    assert control.get("/_control/calls").json()["tmdb"] == calls


def test_rebuilding_the_views_from_events_gives_the_same_rows(
    myvod_container: Container, myvod_client: TestClient
) -> None:
    from application.myvod.projections import WatchlistViews
    from infrastructure.postgres.projector import Projector

    c = myvod_container
    with running_projector(c):
        _, auth = new_user(myvod_client)
        movie = catalogue_movies()[175]
        myvod_client.post("/me/watchlist/items", json={"tmdb_id": movie["id"]}, headers=auth)
        myvod_client.put(
            f"/me/watchlist/items/{movie['id']}/note", json={"note": "for Sunday"}, headers=auth
        )

    def snapshot() -> dict[str, list[str]]:
        return {
            table: sorted(
                str(sorted(r.items())) for r in c.database.fetch_all(f"SELECT * FROM {table}")
            )
            for table in WatchlistViews.tables
        }

    before = snapshot()
    projector = Projector(c.database, c.applications, c.projections())
    projector.rebuild("myvod_views")
    assert snapshot() == before


def test_services_in_a_region_list_the_slugs_users_choose_from(
    myvod_container: Container, myvod_client: TestClient
) -> None:
    with running_projector(myvod_container):
        _, auth = new_user(myvod_client)
    listed = myvod_client.get("/services", params={"region": "pl"}, headers=auth)
    assert listed.status_code == 200
    slugs = {s["service"]: s["type"] for s in listed.json()["services"]}
    assert slugs["netflix"] == "stream" and slugs["skyshowtime"] == "stream"
    assert slugs["itunes"] == "purchase" and "hulu" not in slugs


def test_a_long_watchlist_loads_from_a_snapshot_with_the_same_state(
    myvod_container: Container,
) -> None:
    from uuid import uuid4

    from domain.myvod.ids import title_id_for
    from domain.myvod.watchlist import Watchlist

    c = myvod_container
    watchlist = Watchlist(account_id=uuid4())
    at = c.clock()
    for tmdb_id in range(900001, 900211):
        watchlist.add_title(tmdb_id, title_id_for(tmdb_id), at)
    watchlist.mark_watched(900005, 7, at)
    watchlist.raise_alert(
        "myvod:1",
        900006,
        "X",
        [{"region": "PL", "service": "netflix", "type": "stream", "url": None}],
    )
    c.myvod.save(watchlist)
    assert c.myvod.snapshots is not None
    snapshots = list(c.myvod.snapshots.get(watchlist.id, desc=True, limit=1))
    assert snapshots and snapshots[0].originator_version == 200
    loaded = c.myvod.repository.get(watchlist.id)
    assert loaded.version == watchlist.version == 213
    assert loaded.items == watchlist.items and loaded.alerts == watchlist.alerts
    assert loaded.has(900210) and not loaded.raise_alert("myvod:1", 900006, "X", [{}])
