"""G2: a retried command (same Idempotency-Key) returns the first response and writes no
second event, also after the API restarts; the key is held by a unique constraint."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from uuid import uuid4

import httpx
import psycopg
import pytest
from fastapi.testclient import TestClient

from infrastructure.bootstrap import Container, bootstrap
from infrastructure.settings import Settings
from interfaces.http.app import create_app
from tests.support.system import running_projector

SIGN_UP_EVENTS = 2
"""A sign-up stores Account.Registered and its Account.VerificationRequested (one save)."""


def identity_events(container: Container) -> int:
    row = container.database.fetch_one("SELECT count(*) AS n FROM events.identity_events")
    return int(row["n"]) if row else 0


def register(client: TestClient | httpx.Client, email: str, key: str) -> httpx.Response:
    return client.post(
        "/auth/register",
        json={"email": email, "password": "password-1"},
        headers={"Idempotency-Key": key},
    )


def test_a_retried_request_returns_the_first_response_and_writes_one_event(
    client: TestClient, container: Container
) -> None:
    email, key = f"idem-{uuid4().hex[:8]}@example.com", str(uuid4())
    with running_projector(container):
        before = identity_events(container)
        first = register(client, email, key)
        second = register(client, email, key)
    assert first.status_code == 201, first.text
    assert second.status_code == 201
    assert second.json() == first.json()
    assert second.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert identity_events(container) == before + SIGN_UP_EVENTS


def test_the_stored_response_survives_an_api_restart(
    client: TestClient, container: Container, settings: Settings
) -> None:
    email, key = f"restart-{uuid4().hex[:8]}@example.com", str(uuid4())
    with running_projector(container):
        first = register(client, email, key)
    events = identity_events(container)
    restarted = bootstrap(settings)  # a new container: new pools, nothing cached in memory
    try:
        with TestClient(create_app(restarted)) as fresh_client:
            again = register(fresh_client, email, key)
    finally:
        restarted.close()
    assert again.status_code == first.status_code == 201
    assert again.json() == first.json()
    assert identity_events(container) == events


def test_a_first_refusal_is_replayed_too(client: TestClient, container: Container) -> None:
    key = str(uuid4())
    first = client.post(
        "/auth/register",
        json={"email": "not-an-email", "password": "password-1"},
        headers={"Idempotency-Key": key},
    )
    again = client.post(
        "/auth/register",
        json={"email": "not-an-email", "password": "password-1"},
        headers={"Idempotency-Key": key},
    )
    assert first.status_code == again.status_code == 422
    assert again.json() == first.json()


def test_the_same_key_with_a_different_body_is_refused_with_422(client: TestClient) -> None:
    key = str(uuid4())
    with running_projector(client.app.state.container):
        assert register(client, f"a-{uuid4().hex[:8]}@example.com", key).status_code == 201
    other = register(client, f"b-{uuid4().hex[:8]}@example.com", key)
    assert other.status_code == 422
    assert "already used with a different request" in other.json()["detail"]


def test_concurrent_duplicates_execute_once(client: TestClient, container: Container) -> None:
    """Without a projector the route waits ~5 s for read-your-writes, so the duplicates
    really overlap: they wait for the first and then get its response."""
    email, key = f"race-{uuid4().hex[:8]}@example.com", str(uuid4())
    before = identity_events(container)
    barrier = threading.Barrier(4)
    responses: list[httpx.Response] = []

    def send() -> None:
        with TestClient(client.app) as own_client:
            barrier.wait()
            responses.append(register(own_client, email, key))

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(responses) == 4
    assert sorted(r.status_code for r in responses) == [201, 201, 201, 201]
    assert len({r.text for r in responses}) == 1
    assert sum(r.headers.get("idempotent-replayed") == "true" for r in responses) == 3
    assert identity_events(container) == before + SIGN_UP_EVENTS


def test_the_key_is_held_by_a_unique_constraint(container: Container) -> None:
    row = ("anon:/x", f"k-{uuid4()}", "POST", "/x", "f")
    insert = (
        "INSERT INTO app.idempotency_keys (scope, key, method, path, fingerprint)"
        " VALUES (%s, %s, %s, %s, %s)"
    )
    container.database.execute(insert, row)
    with pytest.raises(psycopg.errors.UniqueViolation):
        container.database.execute(insert, row)


def test_a_server_error_releases_the_key_so_a_retry_runs_again(container: Container) -> None:
    app = create_app(container)
    calls: list[int] = []

    @app.post("/_test/flaky", status_code=201)
    def flaky() -> dict[str, int]:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("first attempt fails")
        return {"attempt": len(calls)}

    key = str(uuid4())
    with TestClient(app, raise_server_exceptions=False) as test_client:
        first = test_client.post("/_test/flaky", json={}, headers={"Idempotency-Key": key})
        second = test_client.post("/_test/flaky", json={}, headers={"Idempotency-Key": key})
        third = test_client.post("/_test/flaky", json={}, headers={"Idempotency-Key": key})
    assert first.status_code == 500
    assert second.status_code == 201 and second.json() == {"attempt": 2}
    assert third.json() == {"attempt": 2} and third.headers["idempotent-replayed"] == "true"


def test_a_malformed_key_is_a_422(client: TestClient) -> None:
    response = client.post(
        "/auth/register", json={"email": "x@example.com"}, headers={"Idempotency-Key": "a" * 300}
    )
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["detail"]


def test_login_responses_are_never_stored(client: TestClient, container: Container) -> None:
    key = str(uuid4())
    client.post(
        "/auth/token",
        data={"username": "nobody@example.com", "password": "whatever1"},
        headers={"Idempotency-Key": key},
    )
    stored = container.database.fetch_one(
        "SELECT count(*) AS n FROM app.idempotency_keys WHERE key = %s", (key,)
    )
    assert stored == {"n": 0}


def test_keys_are_scoped_per_account(client: TestClient, container: Container) -> None:
    """The same key from two researchers is two requests; from one researcher it is one."""
    from tests.support.esm import definition, researcher_headers

    key = str(uuid4())
    body = definition(datetime.now(UTC).date())
    with running_projector(container):
        _, ada = researcher_headers(container)
        _, bob = researcher_headers(container)
        first = client.post("/campaigns", json=body, headers={**ada, "Idempotency-Key": key})
        retry = client.post("/campaigns", json=body, headers={**ada, "Idempotency-Key": key})
        other = client.post("/campaigns", json=body, headers={**bob, "Idempotency-Key": key})
        listed = client.get("/campaigns", headers=ada).json()["campaigns"]
    assert first.status_code == retry.status_code == other.status_code == 201, first.text
    assert retry.json()["id"] == first.json()["id"]
    assert other.json()["id"] != first.json()["id"]
    assert [c["id"] for c in listed] == [first.json()["id"]]


def test_the_header_is_documented_in_the_openapi_schema(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]

    def header_names(path: str, method: str) -> list[str]:
        return [p["name"] for p in paths[path][method].get("parameters", [])]

    assert "Idempotency-Key" in header_names("/campaigns", "post")
    assert "Idempotency-Key" in header_names("/me/watchlist/items", "post")
    assert "Idempotency-Key" not in header_names("/auth/token", "post")
    assert "Idempotency-Key" not in header_names("/campaigns", "get")


def test_expired_keys_are_pruned(container: Container) -> None:
    from interfaces.http.idempotency import IdempotencyStore

    key = f"old-{uuid4()}"
    container.database.execute(
        "INSERT INTO app.idempotency_keys (scope, key, method, path, fingerprint, expires_at)"
        " VALUES ('anon:/x', %s, 'POST', '/x', 'f', now() - interval '1 second')",
        (key,),
    )
    assert IdempotencyStore(container.database).prune() >= 1
    gone = container.database.fetch_one(
        "SELECT count(*) AS n FROM app.idempotency_keys WHERE key = %s", (key,)
    )
    assert gone == {"n": 0}


def test_stored_responses_are_sealed_with_a_key_from_the_request(
    client: TestClient, container: Container
) -> None:
    """The registration's response echoes the email; the stored copy must not, so an erased
    person's address does not survive in app.idempotency_keys."""
    email, key = f"sealed-{uuid4().hex[:8]}@example.com", str(uuid4())
    with running_projector(container):
        first = register(client, email, key)
        again = register(client, email, key)
    assert again.json() == first.json() and email in first.text
    row = container.database.fetch_one(
        "SELECT body FROM app.idempotency_keys WHERE key = %s", (key,)
    )
    assert row is not None and email.encode() not in bytes(row["body"])
