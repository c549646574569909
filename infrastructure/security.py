"""Password hashing (argon2) and JWTs (HS256 pinned; access and refresh tokens)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import jwt
from argon2 import PasswordHasher as Argon2
from argon2.exceptions import InvalidHashError, VerificationError

from domain.shared.errors import Unauthorized

ALGORITHM = "HS256"


class Argon2PasswordHasher:
    def __init__(self, time_cost: int = 3, memory_kib: int = 65536) -> None:
        self._argon = Argon2(time_cost=time_cost, memory_cost=memory_kib)

    def hash(self, password: str) -> str:
        return self._argon.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._argon.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False


class InvalidToken(Unauthorized):
    pass


@dataclass(frozen=True)
class TokenClaims:
    account_id: UUID
    roles: tuple[str, ...]
    kind: str
    jti: str
    family: str
    expires_at: datetime
    issued_at: float = 0.0
    """Unix time with sub-second precision (a session ended at T refuses tokens issued
    before T)."""


class TokenService:
    def __init__(self, secret: str, access_minutes: int, refresh_days: int) -> None:
        self.secret = secret
        self.access_ttl = timedelta(minutes=access_minutes)
        self.refresh_ttl = timedelta(days=refresh_days)

    def issue(
        self, account_id: UUID, roles: tuple[str, ...], kind: str, family: str | None = None
    ) -> TokenClaims:
        now = datetime.now(UTC)
        ttl = self.access_ttl if kind == "access" else self.refresh_ttl
        return TokenClaims(
            account_id=account_id,
            roles=roles,
            kind=kind,
            jti=secrets.token_urlsafe(16),
            family=family or secrets.token_urlsafe(16),
            expires_at=now + ttl,
            issued_at=time.time(),
        )

    def encode(self, claims: TokenClaims) -> str:
        payload: dict[str, Any] = {
            "sub": str(claims.account_id),
            "roles": list(claims.roles),
            "typ": claims.kind,
            "jti": claims.jti,
            "fam": claims.family,
            "exp": claims.expires_at,
            "iat": claims.issued_at or time.time(),
        }
        return jwt.encode(payload, self.secret, algorithm=ALGORITHM)

    def decode(self, token: str, kind: str) -> TokenClaims:
        try:
            payload = jwt.decode(
                token,
                self.secret,
                algorithms=[ALGORITHM],
                options={"require": ["exp", "sub", "typ", "jti"]},
            )
        except jwt.ExpiredSignatureError:
            raise InvalidToken("token expired") from None
        except jwt.PyJWTError:
            raise InvalidToken("invalid token") from None
        if payload.get("typ") != kind:
            raise InvalidToken(f"expected a {kind} token")
        try:
            account_id = UUID(payload["sub"])
        except ValueError:
            raise InvalidToken("invalid token") from None
        return TokenClaims(
            account_id=account_id,
            roles=tuple(payload.get("roles", ())),
            kind=kind,
            jti=payload["jti"],
            family=payload.get("fam", ""),
            expires_at=datetime.fromtimestamp(payload["exp"], UTC),
            issued_at=float(payload.get("iat") or 0.0),
        )


class HmacLinkSigner:
    """Signatures for emailed links: HMAC-SHA256 under the server secret, per purpose."""

    def __init__(self, secret: bytes) -> None:
        self.secret = secret

    def sign(self, purpose: str, value: str) -> str:
        mac = hmac.new(self.secret, f"{purpose}:{value}".encode(), hashlib.sha256)
        return mac.hexdigest()[:40]

    def verify(self, purpose: str, value: str, signature: str) -> bool:
        return hmac.compare_digest(self.sign(purpose, value), signature)
