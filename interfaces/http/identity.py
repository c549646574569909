"""Auth routes: register, token (OAuth2 password flow), refresh."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel, Field

from application.identity.service import Principal
from infrastructure.postgres.refresh_tokens import RefreshTokenStore
from interfaces.http.deps import ContainerDep
from interfaces.http.errors import ERROR_RESPONSES

router = APIRouter(prefix="/auth", tags=["auth"], responses=ERROR_RESPONSES)

READ_YOUR_WRITES_TIMEOUT = 5.0


class RegisterRequest(BaseModel):
    email: str = Field(max_length=254, examples=["ada@example.com"])
    password: str = Field(min_length=8, max_length=1024)


class AccountOut(BaseModel):
    id: UUID
    email: str
    roles: list[str]


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"


class RefreshRequest(BaseModel):
    refresh_token: str = Field(max_length=4096)


@router.post("/register", status_code=201, response_model=AccountOut)
def register(body: RegisterRequest, container: ContainerDep) -> AccountOut:
    account_id, position = container.identity.register(body.email, body.password)
    container.database.wait_for("accounts", "identity", position, READ_YOUR_WRITES_TIMEOUT)
    return AccountOut(id=account_id, email=body.email.strip().lower(), roles=["member"])


@router.post("/token", response_model=TokenPair)
def token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], container: ContainerDep
) -> TokenPair:
    principal = container.authenticator.authenticate(form.username, form.password)
    return issue_pair(container, principal)


@router.post("/refresh", response_model=TokenPair)
def refresh(body: RefreshRequest, container: ContainerDep) -> TokenPair:
    """Rotates the refresh token: each is single-use; reusing one revokes its family."""
    claims = container.tokens.decode(body.refresh_token, "refresh")
    RefreshTokenStore(container.database).redeem(claims.jti, claims.family)
    principal = container.authenticator.principal(claims.account_id)
    if principal is None:
        from application.identity.service import InvalidCredentials

        raise InvalidCredentials("the account no longer exists or is disabled")
    return issue_pair(container, principal, family=claims.family)


def issue_pair(
    container: ContainerDep, principal: Principal, family: str | None = None
) -> TokenPair:
    tokens = container.tokens
    access = tokens.issue(principal.account_id, principal.roles, "access")
    refresh_claims = tokens.issue(principal.account_id, principal.roles, "refresh", family=family)
    RefreshTokenStore(container.database).record(
        refresh_claims.jti, refresh_claims.family, principal.account_id, refresh_claims.expires_at
    )
    return TokenPair(
        access_token=tokens.encode(access), refresh_token=tokens.encode(refresh_claims)
    )
