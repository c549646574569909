"""Identity use cases: sign up (verified by email) or register (by an operator), grant
roles, check a password, erase an account."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from application.audit.privacy import Erasure, erase_person, spellings
from application.identity import verification
from application.shared.app import KairosApplication
from application.shared.ports import LinkSigner, PasswordHasher, PersonalDataVault, Sessions
from application.shared.queries import ReadModels
from domain.identity.account import (
    Account,
    EmailAlreadyRegistered,
    UnknownVerification,
    parse_roles,
)
from domain.shared.emails import InvalidEmail, fold, normalise_email
from domain.shared.errors import ConcurrencyError, InvalidInput, NotFound, Unauthorized

MIN_PASSWORD_LENGTH = 8

__all__ = ["EmailAlreadyRegistered", "normalise_email"]


class InvalidCredentials(Unauthorized):
    pass


@dataclass(frozen=True)
class Principal:
    account_id: UUID
    roles: tuple[str, ...]


@dataclass(frozen=True)
class SignUp:
    account_id: UUID
    email: str
    position: int
    created: bool
    """False when the address belonged to an unverified account: a new claim was added."""


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > 1024:
        raise InvalidInput("password is too long")


class IdentityApplication(KairosApplication):
    name = "identity"

    def __init__(
        self,
        env: dict[str, str] | None = None,
        *,
        vault: PersonalDataVault,
        hasher: PasswordHasher,
        signer: LinkSigner | None = None,
        sessions: Sessions | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(env)
        self.vault = vault
        self.hasher = hasher
        self.signer = signer
        self.sessions = sessions
        self.clock = clock or (lambda: datetime.now(UTC))

    def account_id_for(self, email: str) -> UUID:
        """The account the address names now (after an erasure: the next generation)."""
        try:
            value = normalise_email(email)
        except InvalidEmail:
            value = fold(email)  # an address stored before the stricter rules still signs in
            if "@" not in value:
                raise
        return self.vault.current_subject_for(value)

    # -- accounts created by an operator (verified) -------------------------------------
    def register(self, email: str, password: str, roles: tuple[str, ...] = ()) -> tuple[UUID, int]:
        email = normalise_email(email)
        _check_password(password)
        role_names = parse_roles(list(roles))
        account_id = self.vault.current_subject_for(email)
        account = Account.register(
            account_id,
            sealed_email=self.vault.seal(account_id, email),
            password_hash=self.hasher.hash(password),
            roles=role_names,
        )
        try:
            position = self.save_and_position(account)
        except ConcurrencyError:
            raise EmailAlreadyRegistered("an account with this email already exists") from None
        return account_id, position

    def grant_roles(self, account_id: UUID, roles: tuple[str, ...]) -> int:
        account = self._get(account_id)
        account.grant_roles(roles)
        return self.save_and_position(account)

    def ensure_account(self, email: str, password: str, roles: tuple[str, ...]) -> tuple[UUID, int]:
        """Creates the account, or grants the roles to the existing one (CLI `users add`)."""
        try:
            return self.register(email, password, roles)
        except EmailAlreadyRegistered:
            account_id = self.account_id_for(email)
            return account_id, self.grant_roles(account_id, roles)

    # -- self-service sign-up, verified by email ----------------------------------------
    def sign_up(self, email: str, password: str) -> SignUp:
        """A new unverified member account, or a new claim on an unverified one (the
        address's owner is the one who uses the emailed link). A verified address: 409."""
        email = normalise_email(email)
        _check_password(password)
        account_id = self.vault.current_subject_for(email)
        password_hash = self.hasher.hash(password)
        claim = str(uuid.uuid4())
        for _ in range(3):
            existing = self.get_or_none(account_id)
            if isinstance(existing, Account):
                existing.claim_address(claim, password_hash, self.clock())
                account, created = existing, False
            else:
                account = Account.sign_up(
                    account_id,
                    self.vault.seal(account_id, email),
                    password_hash,
                    claim,
                    self.clock(),
                )
                created = True
            try:
                return SignUp(account_id, email, self.save_and_position(account), created)
            except ConcurrencyError:
                continue  # another sign-up of the address landed first: claim on top of it
        raise EmailAlreadyRegistered("the address is being signed up concurrently; retry")

    def verification_token(self, account_id: UUID, claim: str) -> str:
        if self.signer is None:
            raise RuntimeError("no link signer configured")
        return verification.token_for(self.signer, account_id, claim)

    def verify_email(self, token: str) -> tuple[UUID, int]:
        """Uses a confirmation link; repeats of a used link are fine (position 0)."""
        link = verification.parse_token(self.signer, token) if self.signer else None
        if link is None:
            raise UnknownVerification("this confirmation link is not valid")
        account = self.get_or_none(link.account_id)
        if not isinstance(account, Account):
            raise UnknownVerification("this confirmation link is not valid")
        replaces_password = account.password_changed_by(link.claim)
        if not account.verify(link.claim, self.clock()):
            return link.account_id, 0
        position = self.save_and_position(account)
        if replaces_password and self.sessions is not None:
            self.sessions.end_all(link.account_id)  # the earlier, unproven claimant's sessions
        return link.account_id, position

    def resend_verification(self, account_id: UUID) -> int:
        """Emails the signed-in owner's confirmation link again (their outbox rule sends it)."""
        account = self._get(account_id)
        account.resend_verification(str(uuid.uuid4()), self.clock())
        return self.save_and_position(account)

    def is_verified(self, account_id: UUID) -> bool:
        account = self.get_or_none(account_id)
        return isinstance(account, Account) and account.verified and not account.erased

    # -- the account's data --------------------------------------------------------------
    def email_of(self, account_id: UUID) -> str | None:
        """The address, or None when there is no such account any more (erased)."""
        account = self.get_or_none(account_id)
        if not isinstance(account, Account) or account.erased:
            return None
        return self.vault.unseal(account_id, account.sealed_email)

    def erase_person(self, email: str) -> Erasure:
        """The right to erasure: the account (if any) is erased and its sessions end, then
        the person's vault key is deleted; the address may sign up again afterwards."""
        for value in spellings(email):
            account = self.get_or_none(self.vault.current_subject_for(value))
            if isinstance(account, Account) and account.erase(self.clock()):
                self.save(account)
                if self.sessions is not None:
                    self.sessions.end_all(account.id)
        return erase_person(self.vault, email)

    def _get(self, account_id: UUID) -> Account:
        account = self.get_or_none(account_id)
        if not isinstance(account, Account):
            raise NotFound("no such account")
        return account


class Authenticator:
    """Checks credentials against the accounts projection (schema `app`)."""

    def __init__(self, identity: IdentityApplication, read: ReadModels) -> None:
        self.identity = identity
        self.read = read
        self._dummy_hash = identity.hasher.hash("not-a-real-password")

    def authenticate(self, email: str, password: str) -> Principal:
        try:
            account_id = self.identity.account_id_for(email)
        except InvalidInput:
            raise InvalidCredentials("incorrect email or password") from None
        row = self.principal_row(account_id)
        # Verify even when there is no account, so timing does not reveal which emails exist.
        password_hash = row["password_hash"] if row and row["password_hash"] else self._dummy_hash
        if not self.identity.hasher.verify(password_hash, password) or not row:
            raise InvalidCredentials("incorrect email or password")
        if row["disabled"]:
            raise InvalidCredentials("the account is disabled")
        return Principal(account_id=account_id, roles=tuple(row["roles"]))

    def principal(self, account_id: UUID) -> Principal | None:
        row = self.principal_row(account_id)
        if not row or row["disabled"]:
            return None
        return Principal(account_id=account_id, roles=tuple(row["roles"]))

    def principal_row(self, account_id: UUID) -> dict[str, Any] | None:
        return self.read.fetch_one(
            "SELECT password_hash, roles, disabled FROM app.accounts WHERE id = %s",
            (account_id,),
        )
