"""Participant links that need no stored token: the confirmation link of a self-enrollment
and the self-service link in every prompt email.

A link token is the enrollment id (22 base64url characters, not secret) followed by an HMAC
(192 bits) of its purpose and the enrollment id under a key derived from the server secret.
Nothing is stored, so nothing can leak from the store; sending the same email twice gives the
same working link (the outbox is at-least-once). Rotating SECRET_KEY invalidates every link.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from uuid import UUID

from application.esm.tokens import ID_CHARS, prompt_id_of

CONFIRM = "confirm"
MANAGE = "manage"


class LinkSigner:
    def __init__(self, secret: bytes) -> None:
        self.key = hashlib.sha256(b"kairos:esm:links:" + secret).digest()

    def _mac(self, purpose: str, enrollment_id: UUID, extra: str) -> str:
        message = f"{purpose}:{enrollment_id}:{extra}".encode()
        digest = hmac.new(self.key, message, hashlib.sha256).digest()[:24]
        return base64.urlsafe_b64encode(digest).decode()

    def token(self, purpose: str, enrollment_id: UUID, extra: str = "") -> str:
        prefix = base64.urlsafe_b64encode(enrollment_id.bytes).rstrip(b"=").decode()
        return prefix + self._mac(purpose, enrollment_id, extra)

    @staticmethod
    def enrollment_of(token: str) -> UUID | None:
        return prompt_id_of(token)  # the same shape: an id prefix, then the secret part

    def verify(self, token: str, purpose: str, enrollment_id: UUID, extra: str = "") -> bool:
        expected = self._mac(purpose, enrollment_id, extra)
        return hmac.compare_digest(token[ID_CHARS:].encode(), expected.encode())
