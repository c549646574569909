"""Regression tests for what a hostile trial of sign-up and sign-in broke, each named after
it: erased accounts kept working and locked their address, look-alike emails made separate
accounts, anyone could take an address, and the login throttle was bypassed by rotating
X-Forwarded-For (uvicorn trusted it from 127.0.0.1) with no per-account throttle."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterator
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from fastapi.testclient import TestClient

from infrastructure.bootstrap import Container
from interfaces.http.app import create_app
from interfaces.tasks import identity as identity_tasks
from interfaces.tasks import runtime
from tests.support.esm import FakeClock, controlled
from tests.support.system import running_projector


def sign_up(client: TestClient, email: str, password: str = "first-password") -> httpx.Response:
    return client.post("/auth/register", json={"email": email, "password": password})


def sign_in(client: TestClient, email: str, password: str = "first-password") -> httpx.Response:
    return client.post("/auth/token", data={"username": email, "password": password})


def bearer(pair: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {pair['access_token']}"}


def admin(container: Container) -> dict[str, str]:
    token = container.tokens.encode(container.tokens.issue(uuid4(), ("admin",), "access"))
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def tasks(container: Container) -> Iterator[Any]:
    """The identity tasks run in-process against the session container and a recording
    mailer (the worker would run the same functions)."""
    runtime.set_container(container)
    try:
        with controlled(container, FakeClock()) as mailer:
            yield mailer
    finally:
        runtime.set_container(None)


def confirmation_link(container: Container, mailer: Any, account_id: str) -> str:
    account = container.identity.get_or_none(UUID(account_id))
    claim = list(account.claims)[-1]  # type: ignore[union-attr]
    outcome = identity_tasks.send_verification_email.run(account_id=account_id, claim=claim)
    assert outcome == "sent"
    text = mailer.sent[-1].text
    return text[text.index("/auth/verify?token=") :].split()[0]


def test_sign_up_then_token_works_before_the_email_is_confirmed(client: TestClient) -> None:
    email = f"tour-{uuid4().hex[:8]}@example.com"
    with running_projector(client.app.state.container):  # type: ignore[attr-defined]
        created = sign_up(client, email)
        assert created.status_code == 201 and created.json()["verified"] is False
        assert sign_in(client, email).status_code == 200


def test_an_unconfirmed_address_is_not_locked_against_its_real_owner(
    client: TestClient, container: Container, tasks: Any
) -> None:
    victim = f"victim-{uuid4().hex[:8]}@example.com"
    with running_projector(container):
        squatter = sign_up(client, victim, "squatter-password")
        assert squatter.status_code == 201
        squatter_pair = sign_in(client, victim, "squatter-password").json()
        owner = sign_up(client, victim, "owner-password")
        assert owner.status_code == 202, owner.text  # a claim of their own, by email
        assert owner.json()["id"] == squatter.json()["id"]
        link = confirmation_link(container, tasks, owner.json()["id"])
        token = link.split("token=")[1]
        page = client.get(link)
        assert page.status_code == 200 and 'name="token"' in page.text  # a button, no side effect
        assert client.post("/auth/verify", data={"token": token}).status_code == 200
        assert client.post("/auth/verify", json={"token": token}).status_code == 200  # repeat ok
        assert sign_in(client, victim, "owner-password").status_code == 200
        assert sign_in(client, victim, "squatter-password").status_code == 401
        assert client.get("/me/watchlist", headers=bearer(squatter_pair)).status_code == 401
        refresh = {"refresh_token": squatter_pair["refresh_token"]}
        assert client.post("/auth/refresh", json=refresh).status_code == 401
        assert sign_up(client, victim, "third-password").status_code == 409


def test_a_forged_or_unknown_confirmation_link_is_refused(client: TestClient) -> None:
    assert client.post("/auth/verify", json={"token": "x" * 43 + ".abc"}).status_code == 404
    page = client.post("/auth/verify", data={"token": "nonsense"})
    assert page.status_code == 404 and "not valid" in page.text


def test_unconfirmed_accounts_are_sent_nothing_but_the_confirmation(
    client: TestClient, container: Container, tasks: Any
) -> None:
    email = f"quiet-{uuid4().hex[:8]}@example.com"
    with running_projector(container):
        account_id = sign_up(client, email).json()["id"]
    assert identity_tasks.send_welcome_email.run(account_id=account_id).startswith("unverified")
    assert tasks.to(email) == []
    assert container.identity.is_verified(UUID(account_id)) is False
    confirmation_link(container, tasks, account_id)
    assert [m.subject for m in tasks.to(email)] == ["Confirm your email address for Kairos"]


@pytest.mark.parametrize("spelling", ["\uff21da-{}@example.com", "ADA-{}@EXAMPLE.COM"])
def test_look_alike_emails_are_one_account(client: TestClient, spelling: str) -> None:
    tag = uuid4().hex[:8]
    with running_projector(client.app.state.container):  # type: ignore[attr-defined]
        first = sign_up(client, f"ada-{tag}@example.com")
        again = sign_up(client, spelling.format(tag), "other-password")
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["email"] == f"ada-{tag}@example.com"
    assert again.status_code == 202  # the same (unconfirmed) account: a claim, not a new one


def test_an_erased_account_cannot_sign_in_or_use_its_watchlist_and_its_email_can_register_again(
    client: TestClient, container: Container
) -> None:
    email = f"gone-{uuid4().hex[:8]}@example.com"
    with running_projector(container):
        account_id = sign_up(client, email).json()["id"]
        pair = sign_in(client, email).json()
        assert client.get("/me/watchlist", headers=bearer(pair)).status_code == 200
        erased = client.post(
            "/admin/privacy/erase", json={"email": email}, headers=admin(container)
        )
        assert erased.status_code == 200 and erased.json()["key_deleted"] is True
        assert client.get("/me/watchlist", headers=bearer(pair)).status_code == 401
        refresh = client.post("/auth/refresh", json={"refresh_token": pair["refresh_token"]})
        assert refresh.status_code == 401
        assert sign_in(client, email).status_code == 401
        again = sign_up(client, email, "a-new-password")
        assert again.status_code == 201, again.text
        assert again.json()["id"] != account_id
        fresh = sign_in(client, email, "a-new-password").json()
        watchlist = client.get("/me/watchlist", headers=bearer(fresh)).json()
    assert watchlist["items"] == []
    assert container.identity.email_of(UUID(again.json()["id"])) == email
    assert container.identity.email_of(UUID(account_id)) is None


# -- throttling ------------------------------------------------------------------------
@pytest.fixture
def limited_app(container: Container) -> Any:
    settings = container.settings.model_copy(update={"rate_limit_enabled": True})
    return create_app(dataclasses.replace(container, settings=settings))


def test_login_throttle_is_not_bypassed_by_rotating_x_forwarded_for(
    container: Container, limited_app: Any
) -> None:
    """Through uvicorn configured as `kairos api` configures it (proxy headers trusted only
    from FORWARDED_ALLOW_IPS, empty by default)."""
    import threading
    import time

    import uvicorn

    from infrastructure.embedded import free_port
    from interfaces.cli.processes import proxy_options
    from interfaces.http import ratelimit

    port = free_port()
    config = uvicorn.Config(
        limited_app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="off",
        **proxy_options(container.settings),
    )
    server = uvicorn.Server(config)
    threading.Thread(target=server.run, daemon=True).start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    limit = next(r.limit for r in ratelimit.DEFAULT_RULES if r.name == "login")
    statuses = []
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as http:
            for i in range(limit + 5):
                spoofed = f"203.0.113.{random.randrange(1, 255)}"
                form = {"username": f"spray-{i}-{uuid4().hex[:6]}@example.com", "password": "x" * 9}
                response = http.post("/auth/token", data=form, headers={"X-Forwarded-For": spoofed})
                statuses.append(response.status_code)
    finally:
        server.should_exit = True
    assert 429 in statuses, statuses  # the rotating header did not make new clients
    assert statuses.index(429) <= limit + 1


def test_an_account_is_throttled_whatever_address_the_guesses_come_from(
    container: Container, limited_app: Any
) -> None:
    email = f"target-{uuid4().hex[:8]}@example.com"
    container.identity.register(email, "the-real-password")
    wrong = {"username": email, "password": "a-wrong-guess"}
    statuses = []
    for _ in range(11):
        ip = f"198.51.{random.randrange(256)}.{random.randrange(1, 255)}"
        with TestClient(limited_app, client=(ip, 40000)) as client:
            statuses.append(client.post("/auth/token", data=wrong).status_code)
    assert statuses[:10] == [401] * 10 and statuses[10] == 429
    with TestClient(limited_app, client=("192.0.2.7", 40000)) as client:
        right = client.post(
            "/auth/token", data={"username": email, "password": "the-real-password"}
        )
    assert right.status_code == 429 and int(right.headers["retry-after"]) >= 1


SIGN_INS = {"token": ("/auth/token", {}), "session": ("/auth/session", {"X-Kairos-Session": "1"})}


def sign_in_from(app: Any, ip: str, route: str, email: str, password: str) -> Any:
    path, headers = SIGN_INS[route]
    with TestClient(app, client=(ip, 40000)) as client:
        return client.post(path, data={"username": email, "password": password}, headers=headers)


def test_browser_sign_ins_count_against_the_same_account_throttle(
    container: Container, limited_app: Any
) -> None:
    """Regression: POST /auth/session signed in without the per-account throttle, so
    guesses sent there were never counted; both routes now call one use case."""
    email = f"browser-{uuid4().hex[:8]}@example.com"
    container.identity.register(email, "the-real-password")
    statuses = [
        sign_in_from(
            limited_app,
            f"198.18.{random.randrange(256)}.{random.randrange(1, 255)}",
            "token" if i % 2 else "session",
            email,
            "a-wrong-guess",
        ).status_code
        for i in range(11)
    ]
    assert statuses[:10] == [401] * 10 and statuses[10] == 429
    right = sign_in_from(limited_app, "192.0.2.8", "session", email, "the-real-password")
    assert right.status_code == 429 and int(right.headers["retry-after"]) >= 1


def test_the_confirmation_link_can_be_sent_again_once_a_minute(
    client: TestClient, container: Container, tasks: Any
) -> None:
    """An unconfirmed account asks for its link again (the first one was lost): the same
    link, emailed anew; too soon is a 429 with the wait; confirmed is a 409."""
    clock = FakeClock()
    saved, container.identity.clock = container.identity.clock, clock
    try:
        email = f"resend-{uuid4().hex[:8]}@example.com"
        with running_projector(container):
            account_id = sign_up(client, email).json()["id"]
            pair = sign_in(client, email).json()
            assert client.post("/auth/verify/resend").status_code == 401
            too_soon = client.post("/auth/verify/resend", headers=bearer(pair))
            assert too_soon.status_code == 429 and int(too_soon.headers["Retry-After"]) > 0
            clock.advance(minutes=2)
            again = client.post("/auth/verify/resend", headers=bearer(pair))
            assert again.status_code == 202 and again.json() == {"sent_to": email}
            account = container.identity.get_or_none(UUID(account_id))
            (claim,) = account.claims  # type: ignore[union-attr]
            resent_at = clock().isoformat()
            first = identity_tasks.send_verification_email.run(account_id=account_id, claim=claim)
            resend = identity_tasks.send_verification_email.run(
                account_id=account_id, claim=claim, resent_at=resent_at
            )
            repeat = identity_tasks.send_verification_email.run(
                account_id=account_id, claim=claim, resent_at=resent_at
            )
            assert (first, resend, repeat) == ("sent", "sent", "already sent")
            text = tasks.sent[-1].text
            token = text[text.index("/auth/verify?token=") :].split()[0].split("token=")[1]
            assert client.post("/auth/verify", json={"token": token}).status_code == 200
            confirmed = client.post("/auth/verify/resend", headers=bearer(pair))
            assert confirmed.status_code == 409 and "already confirmed" in confirmed.text
    finally:
        container.identity.clock = saved
