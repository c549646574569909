from uuid import uuid4

from fastapi.testclient import TestClient

from tests.support.system import running_projector


def test_register_then_token_then_refresh(client: TestClient) -> None:
    email = f"ada-{uuid4().hex[:8]}@example.com"
    with running_projector(client.app.state.container):
        created = client.post("/auth/register", json={"email": email, "password": "s3cret-pass"})
        assert created.status_code == 201, created.text
        assert created.json()["roles"] == ["member"]
        token = client.post("/auth/token", data={"username": email, "password": "s3cret-pass"})
    assert token.status_code == 200, token.text
    pair = token.json()
    assert pair["token_type"] == "bearer"
    refreshed = client.post("/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert refreshed.status_code == 200


def test_registering_the_same_email_twice_is_a_409(client: TestClient) -> None:
    """Once the address is confirmed; before that a second sign-up is a claim (202), see
    tests/integration/test_identity_hostile_trial.py."""
    email = f"twice-{uuid4().hex[:8]}@example.com"
    created = client.post("/auth/register", json={"email": email, "password": "password1"})
    assert created.status_code == 201
    confirm(client, created.json()["id"])
    again = client.post("/auth/register", json={"email": email.upper(), "password": "password2"})
    assert again.status_code == 409
    assert "already exists" in again.json()["detail"]


def confirm(client: TestClient, account_id: str) -> None:
    """Uses the confirmation link the sign-up's email carries."""
    from uuid import UUID

    container = client.app.state.container  # type: ignore[attr-defined]
    account = container.identity.get_or_none(UUID(account_id))
    token = container.identity.verification_token(account.id, next(iter(account.claims)))
    assert client.post("/auth/verify", json={"token": token}).status_code == 200


def test_wrong_password_is_a_401(client: TestClient) -> None:
    response = client.post(
        "/auth/token", data={"username": "nobody@example.com", "password": "whatever1"}
    )
    assert response.status_code == 401


def test_invalid_email_is_a_422_not_a_500(client: TestClient) -> None:
    response = client.post(
        "/auth/register", json={"email": "not-an-email", "password": "password1"}
    )
    assert response.status_code == 422


def test_oversized_body_is_a_413(client: TestClient) -> None:
    response = client.post(
        "/auth/register",
        content=b"{" + b" " * 2_000_000 + b"}",
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413


def test_health_ready_metrics(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    assert client.get("/ready").status_code in (200, 503)
    assert "kairos_projection_lag_events" in client.get("/metrics").text
