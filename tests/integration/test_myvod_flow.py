"""The new-user flow through HTTP, with the projector, the relay and a real Celery worker
running, against the TMDB/Watchmode fakes over HTTP."""

from __future__ import annotations

from fastapi.testclient import TestClient

from infrastructure.bootstrap import Container
from tests.support import myvod as support
from tests.support.myvod import catalogue_movies, new_user
from tests.support.polling import eventually
from tests.support.system import running_projector, running_relay
from tests.support.worker import running_worker

myvod_container = support.myvod_container
myvod_client = support.myvod_client


def streams(movie: dict, region: str, names: set[str]) -> bool:
    return any(
        o["region"] == region and o["name"] in names and o["type"] == "sub"
        for o in movie["sources"]
    )


def unique_title(movie: dict, movies: list[dict]) -> bool:
    words = movie["title"].lower().split()
    return sum(all(w in m["title"].lower() for w in words) for m in movies) == 1


def test_new_user_flow_add_by_query_enrich_filter_suggest_import(
    myvod_container: Container, myvod_client: TestClient
) -> None:
    client = myvod_client
    movies = catalogue_movies()[60:150]  # indices no other test module uses
    on_netflix = next(
        m
        for m in movies
        if streams(m, "PL", {"Netflix"}) and m["poster_path"] and unique_title(m, movies)
    )
    elsewhere = next(
        m for m in movies if m["sources"] and not streams(m, "PL", {"Netflix", "MUBI"})
    )
    rated = next(m for m in movies if m["id"] not in (on_netflix["id"], elsewhere["id"]))

    with (
        running_projector(myvod_container),
        running_worker(myvod_container) as publisher,
        running_relay(myvod_container, publisher),
    ):
        _, auth = new_user(client)
        services = client.put(
            "/me/watchlist/services",
            json={"region": "pl", "services": ["Netflix", "mubi"]},
            headers=auth,
        )
        assert services.status_code == 200, services.text
        assert services.json() == {"region": "PL", "services": ["netflix", "mubi"]}

        added = client.post(
            "/me/watchlist/items", json={"query": on_netflix["title"]}, headers=auth
        )
        assert added.status_code == 201, added.text
        assert added.json()["tmdb_id"] == on_netflix["id"]
        assert added.json()["status"] == "to_watch"

        again = client.post("/me/watchlist/items", json={"tmdb_id": on_netflix["id"]}, headers=auth)
        assert again.status_code == 409

        second = client.post("/me/watchlist/items", json={"tmdb_id": elsewhere["id"]}, headers=auth)
        assert second.status_code == 201

        def enriched() -> list[dict] | None:
            items = client.get("/me/watchlist", headers=auth).json()["items"]
            ready = all(i["metadata"] == "ready" and i["availability_checked_at"] for i in items)
            return items if ready and len(items) == 2 else None

        items = {i["tmdb_id"]: i for i in eventually(enriched)}
        first = items[on_netflix["id"]]
        assert first["title"] == on_netflix["title"]
        assert first["poster_url"].endswith(f"/w342{on_netflix['poster_path']}")
        assert {"service": "netflix", "type": "stream", "region": "PL"}.items() <= next(
            o for o in first["availability"] if o["service"] == "netflix"
        ).items()
        assert all(o["region"] == "PL" for i in items.values() for o in i["availability"])

        title = client.get(f"/titles/{on_netflix['id']}", headers=auth)
        assert title.status_code == 200 and title.json()["metadata"] == "ready"
        assert len(title.json()["availability"]) == len(
            {(o["region"], o["name"], o["type"]) for o in on_netflix["sources"]}
        )
        assert {h["change"] for h in title.json()["history"]} == {"added"}
        assert client.get("/titles/999999999", headers=auth).status_code == 404

        available = client.get("/me/watchlist?available=true", headers=auth).json()
        assert [i["tmdb_id"] for i in available["items"]] == [on_netflix["id"]]

        accepted = client.post("/me/watchlist/suggestions", headers=auth)
        assert accepted.status_code == 202
        suggestions = eventually(
            lambda: (
                (s := client.get("/me/watchlist/suggestions", headers=auth).json())
                and s["status"] == "ready"
                and s
            )
        )
        assert suggestions["offline"] is True and suggestions["source"] == "offline"
        assert suggestions["items"] and all(i["reason"] for i in suggestions["items"])
        assert all(i["tmdb_id"] not in items for i in suggestions["items"])
        assert any(i["tmdb_id"] for i in suggestions["items"])

        year = rated["release_date"][:4]
        export = (
            "Date,Name,Year,Letterboxd URI,Rating\n"
            f'2024-05-01,"{rated["title"]}",{year},https://boxd.it/x,4.5\n'
            "2024-05-02,A Film Nobody Made Zzq,1999,https://boxd.it/y,3\n"
        )
        imported = client.post(
            "/me/watchlist/import",
            files={"file": ("ratings.csv", export.encode(), "text/csv")},
            headers=auth,
        )
        assert imported.status_code == 200, imported.text
        assert imported.json()["added"] == 1
        assert [u["row"]["title"] for u in imported.json()["unmatched"]] == [
            "A Film Nobody Made Zzq"
        ]
        watched = {
            i["tmdb_id"]: i for i in client.get("/me/watchlist", headers=auth).json()["items"]
        }[rated["id"]]
        assert (watched["status"], watched["rating"]) == ("watched", 9)
