"""Participant link tokens: the prompt id (not secret) followed by 192 random bits. Only the
SHA-256 of a token is ever recorded; the prompt id prefix lets a link be checked against its
prompt's recorded hashes without any lookup table."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from uuid import UUID

ID_CHARS = 22  # base64url of 16 bytes, unpadded


def new_token(prompt_id: UUID) -> str:
    prefix = base64.urlsafe_b64encode(prompt_id.bytes).rstrip(b"=").decode()
    return prefix + secrets.token_urlsafe(24)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def prompt_id_of(token: str) -> UUID | None:
    if not 40 <= len(token) <= 100:
        return None
    try:
        raw = base64.urlsafe_b64decode(token[:ID_CHARS] + "==")
        return UUID(bytes=raw) if len(raw) == 16 else None
    except (ValueError, TypeError):
        return None


def matches(token: str, hashes: list[str]) -> bool:
    digest = token_hash(token)
    found = False
    for known in hashes:
        found |= hmac.compare_digest(digest, known)
    return found
