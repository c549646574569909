"""The personal-data vault: AES-GCM with one key per person, keys in `vault.subject_keys`.

Keys live outside the event store; erasing a person deletes their key, so every sealed value
in the (immutable) event log becomes unreadable: crypto-shredding.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from uuid import UUID

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from psycopg_pool import ConnectionPool

from domain.shared.errors import Conflict

SEALED_PREFIX = "sealed:v1:"
ERASED = "[erased]"


class PersonalDataErased(Conflict):
    """The person was erased: their data may not be stored again (HTTP 409)."""


def derive_subject_id(secret: bytes, personal_value: str) -> UUID:
    digest = hmac.new(secret, b"subject:" + personal_value.encode(), hashlib.sha256).digest()
    return UUID(bytes=digest[:16], version=5)


class PostgresVault:
    def __init__(self, pool: ConnectionPool, secret: bytes) -> None:
        self.pool = pool
        self.secret = secret

    def subject_for(self, personal_value: str, generation: int = 0) -> UUID:
        value = personal_value.strip().lower()
        # "#" never occurs in an email's domain, so generations never meet a real value.
        return derive_subject_id(self.secret, value if generation == 0 else f"{value}#{generation}")

    def current_subject_for(self, personal_value: str) -> UUID:
        generation = 0
        while self.is_erased(subject := self.subject_for(personal_value, generation)):
            generation += 1
        return subject

    def has_key(self, subject_id: UUID) -> bool:
        with self.pool.connection() as conn:
            row = conn.execute(
                "SELECT 1 FROM vault.subject_keys WHERE subject_id = %s", (subject_id,)
            ).fetchone()
        return row is not None

    def seal(self, subject_id: UUID, plaintext: str) -> str:
        key = self._key(subject_id, create=True)
        assert key is not None
        nonce = os.urandom(12)
        ciphertext = AESGCM(key).encrypt(nonce, plaintext.encode(), subject_id.bytes)
        return SEALED_PREFIX + base64.urlsafe_b64encode(nonce + ciphertext).decode()

    def unseal(self, subject_id: UUID, sealed: str) -> str | None:
        if not sealed.startswith(SEALED_PREFIX):
            raise ValueError("not a sealed value")
        key = self._key(subject_id, create=False)
        if key is None:
            return None
        raw = base64.urlsafe_b64decode(sealed[len(SEALED_PREFIX) :])
        return AESGCM(key).decrypt(raw[:12], raw[12:], subject_id.bytes).decode()

    def erase(self, subject_id: UUID) -> bool:
        with self.pool.connection() as conn:
            deleted = conn.execute(
                "DELETE FROM vault.subject_keys WHERE subject_id = %s", (subject_id,)
            ).rowcount
            conn.execute(
                "INSERT INTO vault.erasures (subject_id) VALUES (%s) ON CONFLICT DO NOTHING",
                (subject_id,),
            )
        return deleted > 0

    def is_erased(self, subject_id: UUID) -> bool:
        with self.pool.connection() as conn:
            row = conn.execute(
                "SELECT 1 FROM vault.erasures WHERE subject_id = %s", (subject_id,)
            ).fetchone()
        return row is not None

    def _key(self, subject_id: UUID, *, create: bool) -> bytes | None:
        with self.pool.connection() as conn:
            if create:
                if self._erased(conn, subject_id):
                    raise PersonalDataErased(
                        "this person's data was erased; it cannot be stored again"
                    )
                conn.execute(
                    "INSERT INTO vault.subject_keys (subject_id, key) VALUES (%s, %s)"
                    " ON CONFLICT (subject_id) DO NOTHING",
                    (subject_id, AESGCM.generate_key(bit_length=256)),
                )
            row = conn.execute(
                "SELECT key FROM vault.subject_keys WHERE subject_id = %s", (subject_id,)
            ).fetchone()
        return bytes(row[0]) if row else None

    @staticmethod
    def _erased(conn: object, subject_id: UUID) -> bool:
        row = conn.execute(  # type: ignore[attr-defined]
            "SELECT 1 FROM vault.erasures WHERE subject_id = %s", (subject_id,)
        ).fetchone()
        return row is not None
