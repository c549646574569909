"""Lists beside the watchlist through HTTP and the read model: rank, tags, a secret
read-only share link, household members, and refusals that write nothing."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from infrastructure.bootstrap import Container
from tests.support import myvod as support
from tests.support.myvod import catalogue_movies, new_user
from tests.support.system import running_projector

myvod_container = support.myvod_container
myvod_client = support.myvod_client


def ids(body: dict[str, Any]) -> list[int]:
    return [i["tmdb_id"] for i in body["items"]]


def new_list(client: TestClient, auth: dict[str, str], *tmdb_ids: int) -> dict[str, Any]:
    created = client.post("/me/lists", json={"name": "Friday films"}, headers=auth)
    assert created.status_code == 201, created.text
    body = created.json()
    for tmdb_id in tmdb_ids:
        added = client.post(
            f"/me/lists/{body['id']}/items", json={"tmdb_id": tmdb_id}, headers=auth
        )
        assert added.status_code == 201, added.text
        body = added.json()
    return body


def test_a_list_is_ranked_and_tagged_beside_the_watchlist(
    myvod_container: Container, myvod_client: TestClient
) -> None:
    client = myvod_client
    a, b, c = (m["id"] for m in catalogue_movies()[40:43])
    with running_projector(myvod_container):
        _, auth = new_user(client)
        _, stranger = new_user(client)
        made = new_list(client, auth, a, b, c)
        url = f"/me/lists/{made['id']}"
        assert ids(made) == [a, b, c] and made["role"] == "owner"

        moved = client.put(f"{url}/items/{c}/position", json={"position": 0}, headers=auth)
        assert ids(moved.json()) == [c, a, b]
        assert [i["rank"] for i in moved.json()["items"]] == [0, 1, 2]
        moved = client.put(f"{url}/items/{c}/position", json={"position": 2}, headers=auth)
        assert ids(moved.json()) == [a, b, c]

        tagged = client.put(
            f"{url}/items/{a}/tags", json={"tags": ["Date night", "comfort"]}, headers=auth
        )
        assert tagged.json()["items"][0]["tags"] == ["date night", "comfort"]
        client.delete(f"{url}/items/{b}", headers=auth)
        assert ids(client.get(url, headers=auth).json()) == [a, c]
        assert [i["rank"] for i in client.get(url, headers=auth).json()["items"]] == [0, 1]

        lists = client.get("/me/lists", headers=auth).json()["items"]
        assert [(x["id"], x["default"]) for x in lists] == [
            ("watchlist", True),
            (made["id"], False),
        ]
        assert lists[1]["count"] == 2

        assert client.get(url, headers=stranger).status_code == 404
        assert client.post(f"{url}/items", json={"tmdb_id": a}, headers=stranger).status_code == 404
        assert client.get("/me/lists", headers=stranger).json()["items"][1:] == []


def test_a_share_link_shows_the_list_without_an_account_until_revoked(
    myvod_container: Container, myvod_client: TestClient
) -> None:
    client = myvod_client
    a, b = (m["id"] for m in catalogue_movies()[43:45])
    with running_projector(myvod_container):
        email, auth = new_user(client)
        made = new_list(client, auth, a, b)
        client.put(f"/me/lists/{made['id']}/items/{a}/tags", json={"tags": ["cosy"]}, headers=auth)
        first = client.post(f"/me/lists/{made['id']}/share", headers=auth).json()
        second = client.post(f"/me/lists/{made['id']}/share", headers=auth).json()
        secret = second["url"].rsplit("/", 1)[1]
        assert second["page_url"].endswith(f"/shared/{secret}")

        public = client.get(f"/public/lists/{secret}")
        assert public.status_code == 200
        assert public.json()["name"] == "Friday films"
        assert [(i["tmdb_id"], i["tags"]) for i in public.json()["items"]] == [
            (a, ["cosy"]),
            (b, []),
        ]
        text = public.text
        assert email not in text and "account" not in text and "owner" not in text
        old = first["url"].rsplit("/", 1)[1]
        assert client.get(f"/public/lists/{old}").status_code == 404, "a new link replaces the old"

        stored = myvod_container.database.fetch_all("SELECT secret_hash FROM app.myvod_list_shares")
        assert secret not in str(stored)
        logged = myvod_container.database.fetch_one(
            "SELECT COUNT(*) AS n FROM events.myvod_events WHERE position(%s in state::text) > 0",
            (secret,),
        )
        assert logged is not None and logged["n"] == 0, "the secret never enters the log"

        assert client.delete(f"/me/lists/{made['id']}/share", headers=auth).status_code == 204
        assert client.get(f"/public/lists/{secret}").status_code == 404
        assert client.get("/public/lists/" + "x" * 43).status_code == 404


def test_a_household_list_is_edited_by_its_members_and_shared_by_its_owner(
    myvod_container: Container, myvod_client: TestClient
) -> None:
    client = myvod_client
    a, b = (m["id"] for m in catalogue_movies()[45:47])
    with running_projector(myvod_container):
        _, owner = new_user(client)
        partner_email, partner = new_user(client)
        made = new_list(client, owner, a)
        url = f"/me/lists/{made['id']}"
        unknown = client.post(
            f"{url}/members", json={"email": "nobody-zz@example.com"}, headers=owner
        )
        assert unknown.status_code == 404 and "sign up" in unknown.json()["detail"]

        joined = client.post(f"{url}/members", json={"email": partner_email}, headers=owner)
        assert joined.status_code == 200
        [member] = joined.json()["members"]
        assert member["email"] == partner_email

        assert client.post(f"{url}/items", json={"tmdb_id": b}, headers=partner).status_code == 201
        moved = client.put(f"{url}/items/{b}/position", json={"position": 0}, headers=partner)
        assert ids(moved.json()) == [b, a] and moved.json()["role"] == "member"
        assert ids(client.get(url, headers=owner).json()) == [b, a]
        assert client.post(f"{url}/share", headers=partner).status_code == 403
        assert client.patch(url, json={"name": "Mine"}, headers=partner).status_code == 403
        theirs = client.get("/me/lists", headers=partner).json()["items"]
        assert [(x["name"], x["role"]) for x in theirs[1:]] == [("Friday films", "member")]

        left = client.delete(f"{url}/members/{member['account_id']}", headers=partner)
        assert left.status_code == 204
        assert client.get(url, headers=partner).status_code == 404

        assert client.delete(url, headers=owner).status_code == 204
        assert client.get(url, headers=owner).status_code == 404


def test_bad_list_requests_are_4xx_and_write_nothing(
    myvod_container: Container, myvod_client: TestClient
) -> None:
    client = myvod_client
    a = catalogue_movies()[47]["id"]
    with running_projector(myvod_container):
        _, auth = new_user(client)
        made = new_list(client, auth, a)
        url = f"/me/lists/{made['id']}"
        refusals = [
            client.post("/me/lists", json={"name": "   "}, headers=auth),
            client.post("/me/lists", json={"name": "x" * 81}, headers=auth),
            client.post(f"{url}/items", json={"tmdb_id": a}, headers=auth),
            client.post(f"{url}/items", json={"tmdb_id": -3}, headers=auth),
            client.put(f"{url}/items/{a}/position", json={"position": 5}, headers=auth),
            client.put(f"{url}/items/{a}/tags", json={"tags": ["ok", "<script>"]}, headers=auth),
            client.put(f"{url}/items/999999/tags", json={"tags": ["x"]}, headers=auth),
            client.get("/me/lists/not-a-uuid", headers=auth),
            client.get("/me/lists/00000000-0000-0000-0000-000000000000", headers=auth),
            client.post("/me/lists", json={"name": "no token"}),
        ]
        statuses = [r.status_code for r in refusals]
        assert statuses == [422, 422, 409, 422, 422, 422, 404, 422, 404, 401]
        assert all(r.json().get("detail") for r in refusals)
        after = client.get(url, headers=auth).json()
        assert (ids(after), after["items"][0]["tags"]) == ([a], [])
        assert len(client.get("/me/lists", headers=auth).json()["items"]) == 2
