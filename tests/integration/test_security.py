"""Security: every route but the public ones needs a valid JWT (expiry, signature, algorithm
pinned), refresh tokens rotate with reuse detection, login/registration/survey links are
rate limited, bodies are size limited, errors leak nothing, HTML pages carry secure headers."""

from __future__ import annotations

import dataclasses
import logging
import random
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import jwt
import pytest
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from infrastructure.bootstrap import Container, redis_client
from infrastructure.embedded import free_port
from infrastructure.security import TokenService
from interfaces.http import ratelimit
from interfaces.http.app import create_app
from interfaces.http.deps import PrincipalDep
from interfaces.http.ratelimit import DEFAULT_RULES, FixedWindowLimiter
from tests.support.system import running_projector

PUBLIC_PREFIXES = ("/s/", "/join/", "/p/", "/auth/", "/webhooks/", "/public/")
PUBLIC_PATHS = {"/health", "/ready", "/metrics", "/docs", "/docs/oauth2-redirect", "/redoc"}
PUBLIC_PATHS |= {"/about"}  # what the web app shows before sign-in (demo data, attributions)
PUBLIC_PATHS |= {"/openapi.json"}
PUBLIC_PATHS |= {"/me/calendar.ics"}  # MyVOD's iCal feed: the secret key is the credential
PASSWORD = "correct-horse-1"


def is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", lambda _: str(uuid4()), path)


def api_routes(app: FastAPI) -> list[tuple[str, set[str]]]:
    """Every API route with its full path (routers are included lazily in this FastAPI, so
    `app.routes` alone does not list them)."""
    return [
        (str(context.path), set(context.methods or ()))
        for context in iter_route_contexts(app.routes)
        if isinstance(context.original_route, APIRoute)
    ]


def protected_routes(app: FastAPI) -> list[tuple[str, str]]:
    return [
        (method, path)
        for path, methods in api_routes(app)
        if not is_public(path)
        for method in sorted(methods - {"HEAD", "OPTIONS"})
    ]


@pytest.fixture(scope="module")
def probe_app(container: Container) -> FastAPI:
    """The real app plus one protected probe route, so token checks never depend on which
    product routes exist yet."""
    app = create_app(container)

    @app.get("/_test/whoami")
    def whoami(principal: PrincipalDep) -> dict[str, str]:
        return {"account": str(principal.account_id)}

    return app


@pytest.fixture
def probe(probe_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(probe_app) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def account(container: Container) -> tuple[str, str]:
    email = f"sec-{uuid4().hex[:8]}@example.com"
    with running_projector(container):
        account_id, position = container.identity.register(email, PASSWORD)
        assert container.database.wait_for("accounts", "identity", position, 10)
    return email, str(account_id)


def login(client: TestClient, email: str) -> dict[str, str]:
    response = client.post("/auth/token", data={"username": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


# -- authentication on every route ---------------------------------------------------------
def test_every_protected_route_refuses_a_request_without_a_token(client: TestClient) -> None:
    routes = protected_routes(client.app)  # type: ignore[arg-type]
    refused = {
        (method, path): client.request(method, concrete(path), json={}).status_code
        for method, path in routes
    }
    assert {k: v for k, v in refused.items() if v != 401} == {}
    assert len(routes) >= 20, "the walk must see the product routes"


def test_every_protected_route_refuses_a_forged_token(client: TestClient) -> None:
    forged = jwt.encode(
        {"sub": str(uuid4()), "typ": "access", "jti": "x", "exp": datetime.now(UTC) + timedelta(1)},
        "not-the-server-secret-but-32-bytes!",
        algorithm="HS256",
    )
    headers = {"Authorization": f"Bearer {forged}"}
    statuses = {
        (method, path): client.request(method, concrete(path), json={}, headers=headers).status_code
        for method, path in protected_routes(client.app)  # type: ignore[arg-type]
    }
    assert {k: v for k, v in statuses.items() if v != 401} == {}


def test_public_routes_are_exactly_the_documented_ones(client: TestClient) -> None:
    public = {path for path, _ in api_routes(client.app) if is_public(path)}  # type: ignore[arg-type]
    undocumented = {p for p in public if not p.startswith(PUBLIC_PREFIXES)}
    assert undocumented <= {"/health", "/ready", "/metrics", "/about", "/me/calendar.ics"}


# -- the token itself ----------------------------------------------------------------------
def claims_for(account_id: str, **overrides: Any) -> dict[str, Any]:
    claims = {
        "sub": account_id,
        "roles": ["member"],
        "typ": "access",
        "jti": uuid4().hex,
        "fam": uuid4().hex,
        "exp": datetime.now(UTC) + timedelta(minutes=5),
    }
    claims.update(overrides)
    return claims


def test_a_valid_access_token_is_accepted(
    probe: TestClient, account: tuple[str, str], container: Container
) -> None:
    token = jwt.encode(claims_for(account[1]), container.settings.secret_key, algorithm="HS256")
    response = probe.get("/_test/whoami", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json() == {"account": account[1]}


@pytest.mark.parametrize(
    "case",
    ["expired", "wrong_secret", "alg_none", "hs512", "refresh_as_access", "no_exp", "garbage"],
)
def test_a_bad_access_token_is_a_401(
    case: str, probe: TestClient, account: tuple[str, str], container: Container
) -> None:
    secret = container.settings.secret_key or ""
    claims = claims_for(account[1])
    token = {
        "expired": lambda: jwt.encode(
            {**claims, "exp": datetime.now(UTC) - timedelta(seconds=5)}, secret, "HS256"
        ),
        "wrong_secret": lambda: jwt.encode(claims, "another-secret-of-enough-length!", "HS256"),
        "alg_none": lambda: jwt.encode(claims, None, algorithm="none"),
        "hs512": lambda: jwt.encode(claims, secret, algorithm="HS512"),
        "refresh_as_access": lambda: jwt.encode({**claims, "typ": "refresh"}, secret, "HS256"),
        "no_exp": lambda: jwt.encode(
            {k: v for k, v in claims.items() if k != "exp"}, secret, "HS256"
        ),
        "garbage": lambda: "not.a.jwt",
    }[case]()
    response = probe.get("/_test/whoami", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert token not in response.text


def test_an_access_token_issued_by_the_service_expires() -> None:
    service = TokenService("s" * 32, access_minutes=-1, refresh_days=1)
    token = service.encode(service.issue(uuid4(), ("member",), "access"))
    with pytest.raises(Exception, match="expired"):
        service.decode(token, "access")


# -- refresh rotation ----------------------------------------------------------------------
def test_a_refresh_token_works_once_and_rotates(
    client: TestClient, account: tuple[str, str]
) -> None:
    pair = login(client, account[0])
    rotated = client.post("/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert rotated.status_code == 200
    assert rotated.json()["refresh_token"] != pair["refresh_token"]
    again = client.post("/auth/refresh", json={"refresh_token": rotated.json()["refresh_token"]})
    assert again.status_code == 200


def test_reusing_a_refresh_token_revokes_its_whole_family(
    client: TestClient, account: tuple[str, str], container: Container
) -> None:
    stolen = login(client, account[0])["refresh_token"]
    other_session = login(client, account[0])["refresh_token"]
    legit = client.post("/auth/refresh", json={"refresh_token": stolen}).json()["refresh_token"]

    reuse = client.post("/auth/refresh", json={"refresh_token": stolen})
    assert reuse.status_code == 401
    assert "already used" in reuse.json()["detail"]
    # The legitimate holder's newer token of the same family is dead too ...
    assert client.post("/auth/refresh", json={"refresh_token": legit}).status_code == 401
    # ... but another login (another family) is untouched.
    assert client.post("/auth/refresh", json={"refresh_token": other_session}).status_code == 200
    family = container.tokens.decode(stolen, "refresh").family
    row = container.database.fetch_one(
        "SELECT count(*) AS n, count(revoked_at) AS revoked FROM app.refresh_tokens"
        " WHERE family = %s",
        (family,),
    )
    assert row is not None and row["n"] == row["revoked"] == 2


def test_a_refresh_token_that_was_never_issued_is_refused(
    client: TestClient, account: tuple[str, str], container: Container
) -> None:
    tokens = container.tokens
    forged = tokens.encode(tokens.issue(uuid4(), ("member",), "refresh"))
    assert client.post("/auth/refresh", json={"refresh_token": forged}).status_code == 401
    access = login(client, account[0])["access_token"]
    assert client.post("/auth/refresh", json={"refresh_token": access}).status_code == 401


# -- rate limits ---------------------------------------------------------------------------
@pytest.fixture
def limited(container: Container, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    # The same limits over an hour-long window, so a test never straddles a window boundary.
    hourly = tuple(dataclasses.replace(rule, window_seconds=3600) for rule in DEFAULT_RULES)
    monkeypatch.setattr(ratelimit, "DEFAULT_RULES", hourly)
    settings = container.settings.model_copy(update={"rate_limit_enabled": True})
    app = create_app(dataclasses.replace(container, settings=settings))
    ip = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"
    with TestClient(app, client=(ip, 40000)) as test_client:
        yield test_client


def limit_of(name: str) -> int:
    return next(rule.limit for rule in DEFAULT_RULES if rule.name == name)


def test_login_is_rate_limited_with_retry_after(limited: TestClient) -> None:
    # A different account each time: the per-account throttle (10) must not answer first.
    forms = [
        {"username": f"nobody-{i}@example.com", "password": "wrong-password"}
        for i in range(limit_of("login") + 1)
    ]
    statuses = [limited.post("/auth/token", data=form).status_code for form in forms[:-1]]
    assert set(statuses) == {401}
    refused = limited.post("/auth/token", data=forms[-1])
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 3601
    assert refused.json() == {"detail": "too many requests; retry later"}


def test_registration_is_rate_limited(limited: TestClient) -> None:
    body = {"email": "not-an-email", "password": "password-1"}
    for _ in range(limit_of("register")):
        assert limited.post("/auth/register", json=body).status_code == 422
    assert limited.post("/auth/register", json=body).status_code == 429


def test_survey_links_are_rate_limited(limited: TestClient) -> None:
    for _ in range(limit_of("survey")):
        assert limited.get(f"/s/{uuid4().hex}").status_code != 429
    refused = limited.get(f"/s/{uuid4().hex}")
    assert refused.status_code == 429
    assert "retry-after" in refused.headers


def test_the_limiter_fails_open_when_redis_is_down() -> None:
    limiter = FixedWindowLimiter(redis_client(f"redis://127.0.0.1:{free_port()}/0", 0.25))
    assert limiter.hit(DEFAULT_RULES[0], "10.0.0.1") == 0


# -- body size, errors, headers, passwords ---------------------------------------------
def test_a_chunked_body_over_the_limit_is_a_413(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"email": "'
        for _ in range(40):
            yield b"x" * 50_000
        yield b'"}'

    response = client.post(
        "/auth/register", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json() == {"detail": "request body too large"}


def test_errors_carry_no_stack_trace_and_no_personal_data(
    container: Container, caplog: pytest.LogCaptureFixture
) -> None:
    email = f"leak-{uuid4().hex[:8]}@example.com"
    app = create_app(container)

    @app.post("/_test/crash")
    def crash() -> None:
        raise RuntimeError(f"could not mail {email}")

    caplog.set_level(logging.DEBUG)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        crashed = test_client.post("/_test/crash")
        wrong = test_client.post("/auth/token", data={"username": email, "password": "nope-nope"})
        invalid = test_client.post("/auth/register", json={"email": email, "password": "pw-7Q"})
    assert crashed.status_code == 500 and crashed.json() == {"detail": "internal error"}
    assert wrong.status_code == 401 and invalid.status_code == 422
    for response in (crashed, wrong, invalid):
        assert email not in response.text and "Traceback" not in response.text
    assert "pw-7Q" not in invalid.text  # the submitted password is not echoed back
    logged = "\n".join(record.getMessage() + (record.exc_text or "") for record in caplog.records)
    assert email not in logged
    assert "Traceback" not in logged
    assert not any(record.exc_info for record in caplog.records)
    assert "RuntimeError" in logged  # the type and place are logged, for operators


def test_html_pages_carry_secure_headers(container: Container) -> None:
    app = create_app(container)

    @app.get("/_test/page", response_class=HTMLResponse)
    def page() -> str:
        return "<!doctype html><title>t</title>"

    with TestClient(app) as test_client:
        response = test_client.get("/_test/page")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "form-action 'self'" in csp


def test_passwords_are_hashed_with_argon2id(container: Container) -> None:
    assert container.hasher.hash("a-password").startswith("$argon2id$")


# -- ownership on every campaign route -----------------------------------------------------
def test_another_researchers_campaign_is_404_on_every_campaign_route(
    client: TestClient, container: Container
) -> None:
    """Walks every route under /campaigns/{campaign_id}: a stranger never learns that the
    campaign exists (no 2xx, 403, 409 or 410), and every read is a plain 404."""
    from tests.support.esm import definition, researcher_headers

    with running_projector(container):
        _, owner = researcher_headers(container)
        _, stranger = researcher_headers(container)
        created = client.post(
            "/campaigns", json=definition(datetime.now(UTC).date()), headers=owner
        )
        assert created.status_code == 201, created.text
        campaign_id = created.json()["id"]
        routes = [
            (method, path)
            for method, path in protected_routes(client.app)  # type: ignore[arg-type]
            if path.startswith("/campaigns/{campaign_id}")
        ]
        answers = {
            (method, path): client.request(
                method,
                concrete(path.replace("{campaign_id}", campaign_id)),
                json={},
                headers=stranger,
            ).status_code
            for method, path in routes
        }
    assert len(routes) >= 8
    leaks = {k: v for k, v in answers.items() if v < 400 or v in (403, 409, 410)}
    assert leaks == {}
    reads = {k: v for k, v in answers.items() if k[0] == "GET"}
    assert set(reads.values()) == {404}, reads


def test_a_whole_flow_writes_no_email_or_token_to_the_logs(
    client: TestClient, container: Container, caplog: pytest.LogCaptureFixture
) -> None:
    from tests.support.esm import definition, researcher_headers

    member = f"log-member-{uuid4().hex[:8]}@example.com"
    participant = f"log-participant-{uuid4().hex[:8]}@example.com"
    caplog.set_level(logging.DEBUG)
    with running_projector(container):
        client.post("/auth/register", json={"email": member, "password": PASSWORD})
        client.post("/auth/token", data={"username": member, "password": "wrong-password"})
        pair = login(client, member)
        client.post("/auth/refresh", json={"refresh_token": pair["refresh_token"]})
        client.post("/auth/refresh", json={"refresh_token": pair["refresh_token"]})  # reuse
        _, researcher = researcher_headers(container)
        campaign = client.post(
            "/campaigns", json=definition(datetime.now(UTC).date()), headers=researcher
        ).json()
        added = client.post(
            f"/campaigns/{campaign['id']}/participants",
            json={"email": participant},
            headers=researcher,
        )
        assert added.status_code == 201, added.text
        again = client.post(
            f"/campaigns/{campaign['id']}/participants",
            json={"email": participant},
            headers=researcher,
        )
        assert participant not in again.text
    logged = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    assert caplog.records, "the flow was logged at all"
    for secret in (member, participant, pair["access_token"], pair["refresh_token"]):
        assert secret not in logged


# -- NUL characters (found by fuzzing: PostgreSQL text cannot hold them) --------------------
@pytest.mark.parametrize(
    "request_args",
    [
        {"method": "GET", "url": "/titles/search?q=ab%00cd"},
        {"method": "GET", "url": "/s/abc%00def"},
        {
            "method": "POST",
            "url": "/auth/register",
            "content": b'{"email": "a\\u0000b@example.com", "password": "password-1"}',
            "headers": {"content-type": "application/json", "Idempotency-Key": "nul-key"},
        },
        {
            "method": "POST",
            "url": "/auth/token",
            "content": b"username=a%00b&password=password-1",
            "headers": {"content-type": "application/x-www-form-urlencoded"},
        },
    ],
)
def test_text_with_a_nul_character_is_a_422_before_any_route(
    client: TestClient, container: Container, request_args: dict[str, Any]
) -> None:
    response = client.request(**request_args)
    assert response.status_code == 422
    assert "NUL" in response.json()["detail"]
    stored = container.database.fetch_one(
        "SELECT count(*) AS n FROM app.idempotency_keys WHERE key = 'nul-key'"
    )
    assert stored == {"n": 0}


def test_a_nul_split_across_body_chunks_is_found(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"email": "a\\u0'
        yield b'000b@example.com", "password": "password-1"}'

    response = client.post(
        "/auth/register", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 422


def test_the_refusal_names_the_fields_holding_a_nul(client: TestClient) -> None:
    body = b'{"answers": {"mood": 3, "note": "a\\u0000b"}, "tags": ["x\\u0000"]}'
    response = client.post(
        "/s/some-token", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["detail"].startswith("'note', 'tags' must not contain NUL")
    query = client.get("/titles/search?q=ab%00cd&page=1")
    assert query.json()["detail"].startswith("'q' must not contain NUL")


def test_a_lone_surrogate_is_a_422_but_an_escaped_emoji_is_fine(client: TestClient) -> None:
    lone = client.post(
        "/s/some-token",
        content=b'{"answers": {"note": "x\\ud800y"}}',
        headers={"content-type": "application/json"},
    )
    assert lone.status_code == 422
    assert lone.json()["detail"].startswith("'note' must not contain")
    email = f"emoji-{uuid4().hex[:8]}@example.com"
    pair = client.post(
        "/auth/register",
        content=b'{"email": "%s", "password": "pass-\\ud83d\\ude00-word"}' % email.encode(),
        headers={"content-type": "application/json"},
    )
    assert pair.status_code == 201, pair.text


def test_the_survey_page_carries_secure_headers_even_for_an_unknown_link(
    client: TestClient,
) -> None:
    response = client.get(f"/s/{uuid4().hex}{uuid4().hex}", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
