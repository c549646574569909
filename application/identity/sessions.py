"""Sessions: signing in (throttled per account), and refresh-token rotation (each refresh
token is single-use; a reused one revokes its family). Tokens, their ledger and the failure
budget are ports, implemented in infrastructure (security.py TokenService,
postgres/refresh_tokens.py, budgets.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, TypeVar
from uuid import UUID

from application.identity.service import Authenticator, InvalidCredentials, Principal
from application.shared.ports import Budget
from domain.shared.errors import DomainError, RateLimited

LOGIN_FAILURES_PER_ACCOUNT = 10
LOGIN_FAILURE_WINDOW_SECONDS = 900


class TooManyFailedSignIns(RateLimited):
    """The account refuses sign-ins until its failure window ends (429, Retry-After)."""


class Claims(Protocol):
    account_id: UUID
    roles: tuple[str, ...]
    jti: str
    family: str
    expires_at: datetime


C = TypeVar("C", bound=Claims)


class TokenIssuer(Protocol[C]):
    def issue(
        self, account_id: UUID, roles: tuple[str, ...], kind: str, family: str | None = None
    ) -> C: ...

    def encode(self, claims: C) -> str: ...

    def decode(self, token: str, kind: str) -> C:
        """The claims of a valid token of this kind; raises an Unauthorized error."""
        ...


class RefreshTokenLedger(Protocol):
    def record(self, jti: str, family: str, account_id: UUID, expires_at: datetime) -> None: ...

    def redeem(self, jti: str, family: str) -> None:
        """Marks the token used; raises an Unauthorized error (and revokes the family) when
        it was used before."""
        ...


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    refresh_token: str


class Sessions:
    def __init__(
        self,
        authenticator: Authenticator,
        tokens: TokenIssuer[Any],
        ledger: RefreshTokenLedger,
        failures: Budget | None = None,
    ) -> None:
        """`failures`: the budget of failed sign-ins per account (None: not throttled)."""
        self.authenticator = authenticator
        self.tokens = tokens
        self.ledger = ledger
        self.failures = failures

    def sign_in(self, email: str, password: str) -> IssuedTokens:
        """A token pair for the right password. Throttled per account, whatever the
        client's address: after LOGIN_FAILURES_PER_ACCOUNT failed attempts within
        LOGIN_FAILURE_WINDOW_SECONDS the account refuses sign-ins, even with the right
        password, until the window ends (TooManyFailedSignIns)."""
        if self.failures is None:
            return self.issue(self.authenticator.authenticate(email, password))
        key = self._account_key(email)
        window = ("login-failures", key, LOGIN_FAILURES_PER_ACCOUNT, LOGIN_FAILURE_WINDOW_SECONDS)
        left, reset = self.failures.left(*window)
        if left <= 0:
            raise TooManyFailedSignIns(
                "too many failed sign-ins for this account; retry later", reset
            )
        try:
            principal = self.authenticator.authenticate(email, password)
        except InvalidCredentials:
            self.failures.spend(*window)
            raise
        return self.issue(principal)

    def _account_key(self, email: str) -> str:
        """Failures count against the account the address names (addresses that name none
        share one budget)."""
        try:
            return str(self.authenticator.identity.account_id_for(email))
        except DomainError:
            return "invalid"

    def refresh(self, refresh_token: str) -> IssuedTokens:
        """Rotates the refresh token: the next one belongs to the same family."""
        claims = self.tokens.decode(refresh_token, "refresh")
        self.ledger.redeem(claims.jti, claims.family)
        principal = self.authenticator.principal(claims.account_id)
        if principal is None:
            raise InvalidCredentials("the account no longer exists or is disabled")
        return self.issue(principal, family=claims.family)

    def issue(self, principal: Principal, family: str | None = None) -> IssuedTokens:
        """An access token and a fresh refresh token (of `family`, else a new one)."""
        access = self.tokens.issue(principal.account_id, principal.roles, "access")
        refresh = self.tokens.issue(principal.account_id, principal.roles, "refresh", family)
        self.ledger.record(refresh.jti, refresh.family, principal.account_id, refresh.expires_at)
        return IssuedTokens(self.tokens.encode(access), self.tokens.encode(refresh))
