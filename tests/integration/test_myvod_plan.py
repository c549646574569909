"""GET /me/plan through HTTP, the read model and real availability checks against the
Watchmode stand-in: which services to pay for, month by month."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from domain.myvod.ids import title_id_for
from domain.myvod.subscriptions import plan_subscriptions
from domain.myvod.title import STREAMABLE
from infrastructure.bootstrap import Container
from tests.support import myvod as support
from tests.support.myvod import catalogue_movies, new_user
from tests.support.polling import eventually
from tests.support.system import running_projector

myvod_container = support.myvod_container
myvod_client = support.myvod_client


def pl_movies(count: int) -> list[dict[str, Any]]:
    """Films that stream on a subscription service in PL, from the stand-in's catalogue."""
    found = [
        m
        for m in catalogue_movies()[230:320]
        if any(s["region"] == "PL" and s["type"] == "sub" for s in m["sources"])
    ]
    return found[:count]


def checked_list(container: Container, client: TestClient, auth: dict[str, str]) -> list[Any]:
    movies = pl_movies(6)
    for movie in movies:
        assert (
            client.post(
                "/me/watchlist/items", json={"tmdb_id": movie["id"]}, headers=auth
            ).status_code
            == 201
        )
        container.myvod.enrich_title(title_id_for(movie["id"]))  # what the tasks do
        container.myvod.refresh_availability(title_id_for(movie["id"]))
    ids = {m["id"] for m in movies}

    def all_checked() -> list[Any] | None:
        items = client.get("/me/watchlist", headers=auth).json()["items"]
        done = [i for i in items if i["availability_checked_at"] and i["title"]]
        return items if {i["tmdb_id"] for i in done} == ids else None

    return eventually(all_checked, message="availability never reached the read model")


def test_the_plan_covers_most_titles_within_the_budget_month_by_month(
    myvod_container: Container, myvod_client: TestClient
) -> None:
    client = myvod_client
    with running_projector(myvod_container):
        _, auth = new_user(client)
        assert (
            client.put(
                "/me/watchlist/services",
                json={"region": "PL", "services": ["netflix"]},
                headers=auth,
            ).status_code
            == 200
        )
        items = checked_list(myvod_container, client, auth)
        watched = items[0]["tmdb_id"]
        client.post(f"/me/watchlist/items/{watched}/watched", json={"rating": 7}, headers=auth)
        plan = eventually(
            lambda: (
                (p := client.get("/me/plan", params={"budget": 20}, headers=auth).json())["wanted"]
                == len(items) - 1
                and p
            )
        )

    assert (plan["region"], plan["currency"], plan["budget_cents"]) == ("PL", "EUR", 2000)
    assert plan["subscribed"] == ["netflix"]
    prices = {p["service"]: p["price_cents"] for p in plan["prices"]}
    wanted = {
        i["tmdb_id"]: sorted({o["service"] for o in i["availability"] if o["type"] in STREAMABLE})
        for i in items
        if i["tmdb_id"] != watched
    }
    expected = plan_subscriptions(wanted, prices, 2000, 6)
    assert [[s["service"] for s in m["services"]] for m in plan["months"]] == [
        list(m.services) for m in expected.months
    ]
    assert plan["months"], "six PL films and 20 EUR plan at least one month"
    planned: list[int] = []
    for month in plan["months"]:
        assert month["cost_cents"] == sum(s["price_cents"] for s in month["services"]) <= 2000
        for service in month["services"]:
            assert service["only_here"], "every service picked adds a title"
            assert all(t["title"] for t in service["covers"])
        planned += {t["tmdb_id"] for s in month["services"] for t in s["covers"]}
    assert watched not in planned, "a watched film is not planned for"
    assert len(planned) == len(set(planned)), "no film planned in two months"


def test_bad_plan_requests_are_4xx_with_a_detail(
    myvod_container: Container, myvod_client: TestClient
) -> None:
    client = myvod_client
    with running_projector(myvod_container):
        _, auth = new_user(client)
    assert client.get("/me/plan", params={"budget": 10}).status_code == 401
    no_region = client.get("/me/plan", params={"budget": 10}, headers=auth)
    assert no_region.status_code == 409 and "region" in no_region.json()["detail"]
    for params in ({"budget": -1}, {"budget": "lots"}, {}, {"budget": 10, "months": 13}):
        bad = client.get("/me/plan", params=params, headers=auth)
        assert bad.status_code == 422 and bad.json()["detail"], params
