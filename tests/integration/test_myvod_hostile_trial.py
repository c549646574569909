"""Regression tests for what a hostile trial of MyVOD broke, each named after it: unknown
service slugs were stored (and never matched), and expensive routes had no per-user budget
(a 200-row import made 401 TMDB calls in 10 s; 15 suggestion requests ran 15 tasks)."""

from __future__ import annotations

from uuid import uuid4

import httpx
import pytest
from fastapi.testclient import TestClient

from application.myvod import service as myvod_service
from infrastructure.bootstrap import Container
from interfaces.http import budgets
from interfaces.http.budgets import Allowance
from tests.support import myvod as support
from tests.support.myvod import catalogue_movies, new_user
from tests.support.system import running_projector

myvod_container = support.myvod_container
myvod_client = support.myvod_client
control = support.control


def test_an_unknown_service_slug_is_refused_with_the_closest_matches(
    myvod_container: Container, myvod_client: TestClient
) -> None:
    with running_projector(myvod_container):
        _, auth = new_user(myvod_client)
        refused = myvod_client.put(
            "/me/watchlist/services",
            json={"region": "PL", "services": ["netflix", "netflx"]},
            headers=auth,
        )
        assert refused.status_code == 422
        body = refused.json()
        assert body["unknown"] == [{"service": "netflx", "closest": ["netflix"]}]
        assert "did you mean 'netflix'" in body["detail"]
        assert myvod_client.get("/me/watchlist", headers=auth).json()["services"] == []
        chosen = myvod_client.put(
            "/me/watchlist/services", json={"region": "PL", "services": ["Netflix"]}, headers=auth
        )
    assert chosen.status_code == 200 and chosen.json()["services"] == ["netflix"]


def _export(movies: list[dict]) -> str:
    rows = "".join(f'"{m["title"]}",{m["release_date"][:4]},4\n' for m in movies)
    return "Name,Year,Rating\n" + rows


def test_an_import_over_the_users_budget_is_refused_before_any_tmdb_call(
    myvod_container: Container,
    myvod_client: TestClient,
    control: httpx.Client,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    small = Allowance(f"import-rows-{uuid4().hex[:6]}", 5, 3600, "imported rows")
    monkeypatch.setattr(budgets, "IMPORT_ROWS", small)
    movies = catalogue_movies()[20:28]
    with running_projector(myvod_container):
        _, auth = new_user(myvod_client)
        files = {"file": ("ratings.csv", _export(movies[:3]), "text/csv")}
        assert myvod_client.post("/me/watchlist/import", files=files, headers=auth).is_success
        calls = control.get("/_control/calls").json()["tmdb"]
        files = {"file": ("ratings.csv", _export(movies[3:6]), "text/csv")}
        refused = myvod_client.post("/me/watchlist/import", files=files, headers=auth)
        assert refused.status_code == 429
        assert int(refused.headers["retry-after"]) >= 1
        assert "needs 3, 2 left" in refused.json()["detail"]
        assert control.get("/_control/calls").json()["tmdb"] == calls  # no TMDB call was made
        _, other = new_user(myvod_client)  # budgets are per user
        files = {"file": ("ratings.csv", _export(movies[6:8]), "text/csv")}
        assert myvod_client.post("/me/watchlist/import", files=files, headers=other).is_success


def test_repeated_suggestion_requests_are_coalesced_into_one_request(
    myvod_container: Container, myvod_client: TestClient
) -> None:
    with running_projector(myvod_container):
        email, auth = new_user(myvod_client)
        ids = {
            myvod_client.post("/me/watchlist/suggestions", headers=auth).json()["request_id"]
            for _ in range(15)
        }
    assert len(ids) == 1
    account_id = myvod_container.identity.account_id_for(email)
    watchlist = myvod_container.myvod._watchlist(account_id)
    requested = [
        e
        for e in myvod_container.myvod.repository.event_store.get(watchlist.id)
        if type(e).__name__ == "SuggestionsRequested"
    ]
    assert len(requested) == 1  # so the outbox runs one suggestion task, not fifteen


def test_suggestion_requests_over_the_hourly_budget_are_a_429(
    myvod_container: Container, myvod_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(myvod_service, "SUGGESTIONS_PER_HOUR", 2)
    with running_projector(myvod_container):
        email, auth = new_user(myvod_client)
        account_id = myvod_container.identity.account_id_for(email)
        for _ in range(2):
            request_id = myvod_client.post("/me/watchlist/suggestions", headers=auth).json()[
                "request_id"
            ]
            watchlist_id = myvod_container.myvod._watchlist(account_id).id
            myvod_container.myvod.make_suggestions(watchlist_id, request_id)  # answered
        refused = myvod_client.post("/me/watchlist/suggestions", headers=auth)
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1
