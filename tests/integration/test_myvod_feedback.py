"""Suggestions that learn, through HTTP and the read model: a verdict on a pick is an event,
shows on the pick, goes into the next request, and judged picks or titles on any of the
person's lists never come back."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi.testclient import TestClient

from domain.myvod.ids import title_id_for, watchlist_id_for
from infrastructure.bootstrap import Container
from tests.support import myvod as support
from tests.support.myvod import catalogue_movies, new_user
from tests.support.polling import eventually
from tests.support.system import running_projector

myvod_container = support.myvod_container
myvod_client = support.myvod_client


def account_of(client: TestClient, auth: dict[str, str]) -> UUID:
    me = client.get("/auth/me", headers=auth)
    assert me.status_code == 200, me.text
    return UUID(me.json()["id"])


def suggested(c: Container, client: TestClient, auth: dict[str, str]) -> list[dict[str, Any]]:
    """Asks for picks, runs the suggestion task as the worker would, returns the picks."""
    request_id = client.post("/me/watchlist/suggestions", headers=auth).json()["request_id"]
    assert c.myvod.make_suggestions(watchlist_id_for(account_of(client, auth)), request_id)

    def ready() -> list[dict[str, Any]] | None:
        view = client.get("/me/watchlist/suggestions", headers=auth).json()
        return view["items"] if view["status"] == "ready" else None

    return eventually(ready)


def test_a_verdict_shows_on_the_pick_and_judged_picks_never_return(
    myvod_container: Container, myvod_client: TestClient
) -> None:
    c, client = myvod_container, myvod_client
    movie = catalogue_movies()[60]
    with running_projector(c):
        _, auth = new_user(client)
        client.post("/me/watchlist/items", json={"tmdb_id": movie["id"]}, headers=auth)
        c.myvod.enrich_title(title_id_for(movie["id"]))
        first = suggested(c, client, auth)
        assert len(first) == 5 and all(p["feedback"] is None for p in first)
        no, seen = first[0], first[1]
        for pick, verdict in ((no, "not_interested"), (seen, "seen")):
            said = client.post(
                "/me/watchlist/suggestions/feedback",
                json={k: pick[k] for k in ("title", "year", "tmdb_id")} | {"verdict": verdict},
                headers=auth,
            )
            assert said.status_code == 200 and said.json()["recorded"], said.text
        again = client.post(
            "/me/watchlist/suggestions/feedback",
            json={"title": no["title"], "tmdb_id": no["tmdb_id"], "verdict": "not_interested"},
            headers=auth,
        )
        assert again.json()["recorded"] is False
        marked = client.get("/me/watchlist/suggestions", headers=auth).json()["items"]
        assert [p["feedback"] for p in marked[:3]] == ["not_interested", "seen", None]

        second = suggested(c, client, auth)
    titles = {p["title"] for p in second}
    assert no["title"] not in titles and seen["title"] not in titles
    assert len(second) == 5, "spare picks fill the places of the dropped ones"


def test_picks_never_repeat_a_title_on_one_of_my_lists(
    myvod_container: Container, myvod_client: TestClient
) -> None:
    c, client = myvod_container, myvod_client
    movie = catalogue_movies()[61]
    with running_projector(c):
        _, auth = new_user(client)
        client.post("/me/watchlist/items", json={"tmdb_id": movie["id"]}, headers=auth)
        c.myvod.enrich_title(title_id_for(movie["id"]))
        first = suggested(c, client, auth)
        top = next(p for p in first if p["tmdb_id"])
        made = client.post("/me/lists", json={"name": "Later"}, headers=auth).json()
        listed = client.post(
            f"/me/lists/{made['id']}/items", json={"tmdb_id": top["tmdb_id"]}, headers=auth
        )
        assert listed.status_code == 201
        c.myvod.enrich_title(title_id_for(top["tmdb_id"]))
        second = suggested(c, client, auth)
    assert top["tmdb_id"] not in {p["tmdb_id"] for p in second}


def test_bad_feedback_is_4xx_and_records_nothing(
    myvod_container: Container, myvod_client: TestClient
) -> None:
    client = myvod_client
    with running_projector(myvod_container):
        _, auth = new_user(client)
        bad = [
            {"title": "Heat", "verdict": "meh"},
            {"verdict": "liked"},
            {"title": "   ", "verdict": "liked"},
            {"title": "Heat", "tmdb_id": -1, "verdict": "liked"},
        ]
        for body in bad:
            answer = client.post("/me/watchlist/suggestions/feedback", json=body, headers=auth)
            assert answer.status_code == 422 and answer.json()["detail"], body
        assert (
            client.post(
                "/me/watchlist/suggestions/feedback", json={"title": "Heat", "verdict": "liked"}
            ).status_code
            == 401
        )
    rows = myvod_container.database.fetch_all(
        "SELECT 1 FROM read.myvod_suggestion_feedback WHERE watchlist_id = %s",
        (watchlist_id_for(account_of(client, auth)),),
    )
    assert rows == []
