"""Identity use cases: register, grant roles, check a password."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from application.shared.app import KairosApplication
from application.shared.ports import PasswordHasher, PersonalDataVault
from application.shared.queries import ReadModels
from domain.identity.account import Account, parse_roles
from domain.shared.emails import normalise_email
from domain.shared.errors import ConcurrencyError, Conflict, InvalidInput, NotFound, Unauthorized

MIN_PASSWORD_LENGTH = 8


class EmailAlreadyRegistered(Conflict):
    pass


class InvalidCredentials(Unauthorized):
    pass


@dataclass(frozen=True)
class Principal:
    account_id: UUID
    roles: tuple[str, ...]


class IdentityApplication(KairosApplication):
    name = "identity"

    def __init__(
        self,
        env: dict[str, str] | None = None,
        *,
        vault: PersonalDataVault,
        hasher: PasswordHasher,
    ) -> None:
        super().__init__(env)
        self.vault = vault
        self.hasher = hasher

    def account_id_for(self, email: str) -> UUID:
        return self.vault.subject_for(normalise_email(email))

    def register(self, email: str, password: str, roles: tuple[str, ...] = ()) -> tuple[UUID, int]:
        email = normalise_email(email)
        if len(password) < MIN_PASSWORD_LENGTH:
            raise InvalidInput(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
        if len(password) > 1024:
            raise InvalidInput("password is too long")
        role_names = parse_roles(list(roles))
        account_id = self.vault.subject_for(email)
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

    def email_of(self, account_id: UUID) -> str | None:
        account = self._get(account_id)
        return self.vault.unseal(account_id, account.sealed_email)

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
        password_hash = row["password_hash"] if row else self._dummy_hash
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
