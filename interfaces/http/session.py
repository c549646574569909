"""Browser sessions: the web app's sign-in, silent refresh and sign-out.

The refresh token travels only in an httpOnly, SameSite=Strict cookie scoped to
/auth/session (Secure when the public URL is https); the access token is returned in the
body and kept in memory by the app. The cookie alone authorises nothing: a refresh also
needs the `X-Kairos-Session: 1` header, which a cross-site form cannot send and a
cross-origin script cannot send without a CORS preflight that Kairos does not grant.
API clients keep using /auth/token and /auth/refresh with bearer tokens.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Cookie, Depends, Header, Response
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel, Field

from domain.shared.errors import Unauthorized
from infrastructure.postgres.refresh_tokens import RefreshTokenStore
from infrastructure.security import InvalidToken
from interfaces.http.deps import ContainerDep, PrincipalDep
from interfaces.http.errors import ERROR_RESPONSES
from interfaces.http.identity import AccountOut

router = APIRouter(prefix="/auth", tags=["auth"], responses=ERROR_RESPONSES)

COOKIE = "kairos_refresh"
COOKIE_PATH = "/auth/session"
HEADER = "X-Kairos-Session"


class SessionOut(BaseModel):
    access_token: str = Field(description="keep in memory only; lasts `expires_in` seconds")
    token_type: str = "bearer"
    expires_in: int


def _set_cookie(response: Response, container: ContainerDep, refresh_token: str) -> None:
    response.set_cookie(
        COOKIE,
        refresh_token,
        max_age=int(container.tokens.refresh_ttl.total_seconds()),
        path=COOKIE_PATH,
        httponly=True,
        samesite="strict",
        secure=container.settings.public_url.startswith("https://"),
    )


def _session(
    response: Response, container: ContainerDep, pair_access: str, refresh: str
) -> SessionOut:
    _set_cookie(response, container, refresh)
    response.headers["Cache-Control"] = "no-store"
    return SessionOut(
        access_token=pair_access, expires_in=int(container.tokens.access_ttl.total_seconds())
    )


def _require_header(value: str | None) -> None:
    if value != "1":
        raise Unauthorized(f"a browser session needs the {HEADER}: 1 header")


SessionHeader = Annotated[str | None, Header(alias=HEADER, description="must be 1")]


@router.post("/session", response_model=SessionOut)
def sign_in(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    response: Response,
    container: ContainerDep,
    session_header: SessionHeader = None,
) -> SessionOut:
    """Signs a browser in (form fields `username`, `password`): the access token in the
    body, the refresh token in an httpOnly cookie."""
    _require_header(session_header)
    # failed attempts count against the same per-account throttle as POST /auth/token
    pair = container.sign_ins.sign_in(form.username, form.password)
    return _session(response, container, pair.access_token, pair.refresh_token)


@router.post("/session/refresh", response_model=SessionOut)
def refresh_session(
    response: Response,
    container: ContainerDep,
    session_header: SessionHeader = None,
    kairos_refresh: Annotated[str | None, Cookie(include_in_schema=False)] = None,
) -> SessionOut:
    """Silent refresh: rotates the cookie's refresh token (single-use; reuse revokes the
    family) and returns a fresh access token. 401 when there is no session."""
    _require_header(session_header)
    if not kairos_refresh:
        raise Unauthorized("no browser session; sign in")
    try:
        pair = container.sign_ins.refresh(kairos_refresh)
    except InvalidToken:
        response.delete_cookie(COOKIE, path=COOKIE_PATH)
        raise
    return _session(response, container, pair.access_token, pair.refresh_token)


@router.delete("/session", status_code=204)
def sign_out(
    container: ContainerDep,
    session_header: SessionHeader = None,
    kairos_refresh: Annotated[str | None, Cookie(include_in_schema=False)] = None,
) -> Response:
    """Signs the browser out: revokes the session's refresh-token family, clears the cookie."""
    _require_header(session_header)
    response = Response(status_code=204)
    if kairos_refresh:
        try:
            claims = container.tokens.decode(kairos_refresh, "refresh")
            RefreshTokenStore(container.database).revoke_family(claims.family)
        except InvalidToken:
            pass
    response.delete_cookie(COOKIE, path=COOKIE_PATH, httponly=True, samesite="strict")
    return response


@router.get("/me", response_model=AccountOut)
def me(principal: PrincipalDep, container: ContainerDep) -> AccountOut:
    """The signed-in account (the web app's header and role-based menus)."""
    email = container.identity.email_of(principal.account_id)
    if email is None:
        raise Unauthorized("the account no longer exists")
    return AccountOut(
        id=principal.account_id,
        email=email,
        roles=list(principal.roles),
        verified=container.identity.is_verified(principal.account_id),
    )
