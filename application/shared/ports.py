"""Ports the application layer needs; infrastructure provides the implementations."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol
from uuid import UUID

Clock = Callable[[], datetime]
"""Returns the current time, timezone-aware. Injected so tests control time."""


class PersonalDataVault(Protocol):
    """Encrypts personal data with a per-person key kept outside the event store.

    Deleting a person's key (erase) makes every sealed value of theirs unreadable without
    editing any event: crypto-shredding.
    """

    def subject_for(self, personal_value: str, generation: int = 0) -> UUID:
        """A stable pseudonymous id for a person, keyed-hashed from e.g. their email.
        Generation n > 0 is the id of whoever uses the value after n erasures."""
        ...

    def current_subject_for(self, personal_value: str) -> UUID:
        """The first generation of the value that was never erased."""
        ...

    def is_erased(self, subject_id: UUID) -> bool: ...

    def has_key(self, subject_id: UUID) -> bool: ...

    def seal(self, subject_id: UUID, plaintext: str) -> str: ...

    def unseal(self, subject_id: UUID, sealed: str) -> str | None:
        """The plaintext, or None when the subject's key has been erased."""
        ...

    def erase(self, subject_id: UUID) -> bool: ...


class LinkSigner(Protocol):
    """Signs the values of emailed links (HMAC with the server secret)."""

    def sign(self, purpose: str, value: str) -> str: ...

    def verify(self, purpose: str, value: str, signature: str) -> bool: ...


class Budget(Protocol):
    """Per-user allowances over a time window (infrastructure/budgets.py)."""

    def spend(self, name: str, key: str, limit: int, window_seconds: int, cost: int = 1) -> int:
        """Spends `cost` of the window's `limit`: 0 when it fit, else seconds to wait."""
        ...

    def left(self, name: str, key: str, limit: int, window_seconds: int) -> tuple[int, int]:
        """(what is left of the limit, seconds until the window ends)."""
        ...


class Sessions(Protocol):
    """Ends every session of an account at once (refresh families and access tokens)."""

    def end_all(self, account_id: UUID) -> None: ...


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str, password: str) -> bool: ...


class Cursor(Protocol):
    """The slice of a DB-API cursor that projections use to write their tables."""

    def execute(self, query: object, params: object = ..., /) -> object: ...

    def executemany(self, query: object, params_seq: object, /) -> object: ...

    def fetchone(self) -> object: ...

    def fetchall(self) -> list[object]: ...


class MailDeliveryError(Exception):
    """The provider refused the message for good (bad address, bad request)."""


class MailTemporarilyUnavailable(Exception):
    """The provider may accept it later (429, 5xx, timeout): retry with backoff."""


class Mailer(Protocol):
    def send(
        self,
        *,
        to: str,
        subject: str,
        text: str,
        html: str,
        custom_args: dict[str, str],
        headers: dict[str, str] | None = None,
    ) -> str:
        """Sends one email (with extra headers such as List-Unsubscribe); returns the
        provider's message id. Raises MailDeliveryError or MailTemporarilyUnavailable."""
        ...
