"""GET /me/export: watched films and the watchlist as Letterboxd's import CSV, everything as
JSON; refusals are 4xx."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient

from infrastructure.bootstrap import Container
from tests.support import myvod as support
from tests.support.myvod import catalogue_movies, new_user
from tests.support.system import running_projector

myvod_container = support.myvod_container
myvod_client = support.myvod_client


def test_my_data_exports_as_letterboxd_csv_and_as_json(
    myvod_container: Container, myvod_client: TestClient
) -> None:
    client = myvod_client
    seen, later = catalogue_movies()[70], catalogue_movies()[71]
    with running_projector(myvod_container):
        email, auth = new_user(client)
        for movie in (seen, later):
            client.post("/me/watchlist/items", json={"tmdb_id": movie["id"]}, headers=auth)
        client.post(
            f"/me/watchlist/items/{seen['id']}/watched",
            json={"rating": 8, "watched_on": "2026-03-04"},
            headers=auth,
        )
        client.put(
            f"/me/watchlist/items/{seen['id']}/note",
            json={"note": "=HYPERLINK(1) with Ada"},
            headers=auth,
        )
        made = client.post("/me/lists", json={"name": "Later"}, headers=auth).json()
        client.post(f"/me/lists/{made['id']}/items", json={"tmdb_id": later["id"]}, headers=auth)

        watched = client.get("/me/export", params={"format": "letterboxd"}, headers=auth)
        wanted = client.get("/me/export", params={"format": "letterboxd_watchlist"}, headers=auth)
        everything = client.get("/me/export", params={"format": "json"}, headers=auth)

    assert watched.status_code == 200 and watched.headers["content-type"].startswith("text/csv")
    assert "kairos-watched.csv" in watched.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(watched.text)))
    assert rows == [
        {
            "tmdbID": str(seen["id"]),
            "Title": rows[0]["Title"],
            "Year": rows[0]["Year"],
            "WatchedDate": "2026-03-04",
            "Rating10": "8",
            "Review": "'=HYPERLINK(1) with Ada",
        }
    ]
    assert [r["tmdbID"] for r in csv.DictReader(io.StringIO(wanted.text))] == [str(later["id"])]
    assert wanted.text.splitlines()[0] == "tmdbID,Title,Year"

    data = everything.json()
    assert data["format"] == "kairos-myvod-export"
    by_id = {i["tmdb_id"]: i for i in data["watchlist"]}
    assert by_id[seen["id"]]["note"] == "=HYPERLINK(1) with Ada"
    assert (by_id[seen["id"]]["status"], by_id[later["id"]]["status"]) == ("watched", "to_watch")
    assert data["lists"] == [
        {
            "name": "Later",
            "role": "owner",
            "items": [
                {
                    "tmdb_id": later["id"],
                    "title": data["lists"][0]["items"][0]["title"],
                    "year": data["lists"][0]["items"][0]["year"],
                    "rank": 0,
                    "tags": [],
                }
            ],
        }
    ]
    assert email not in everything.text, "the export holds films, not the address"


def test_bad_export_requests_are_4xx(myvod_container: Container, myvod_client: TestClient) -> None:
    client = myvod_client
    with running_projector(myvod_container):
        _, auth = new_user(client)
    assert client.get("/me/export", params={"format": "xls"}, headers=auth).status_code == 422
    assert client.get("/me/export").status_code == 401
    empty = client.get("/me/export", params={"format": "letterboxd"}, headers=auth)
    assert empty.status_code == 200 and empty.text.splitlines() == [
        "tmdbID,Title,Year,WatchedDate,Rating10,Review"
    ]
