"""Dependencies shared by routers: the container, the current principal, role checks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from application.identity.service import Principal
from domain.shared.errors import Forbidden, Unauthorized
from infrastructure.bootstrap import Container
from infrastructure.security import InvalidToken

oauth2 = OAuth2PasswordBearer(tokenUrl="/auth/token", auto_error=False)


def get_container(request: Request) -> Container:
    return request.app.state.container  # type: ignore[no-any-return]


ContainerDep = Annotated[Container, Depends(get_container)]


def current_principal(
    container: ContainerDep, token: Annotated[str | None, Depends(oauth2)]
) -> Principal:
    if not token:
        raise Unauthorized("missing bearer token")
    claims = container.tokens.decode(token, "access")
    ended = container.sessions.ended_at(claims.account_id)
    if ended is not None and claims.issued_at <= ended:
        raise InvalidToken("this session has ended (signed out everywhere); sign in again")
    return Principal(account_id=claims.account_id, roles=claims.roles)


PrincipalDep = Annotated[Principal, Depends(current_principal)]


def require_role(*roles: str) -> Callable[[Principal], Principal]:
    def check(principal: PrincipalDep) -> Principal:
        if not set(roles) & set(principal.roles) and "admin" not in principal.roles:
            raise Forbidden(f"this needs the role {' or '.join(roles)}")
        return principal

    return check
