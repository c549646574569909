"""The Account aggregate: who may log in, and with which roles."""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.shared.errors import Conflict, InvalidInput


class Role(StrEnum):
    MEMBER = "member"
    RESEARCHER = "researcher"
    AUDITOR = "auditor"
    ANALYST = "analyst"
    ADMIN = "admin"


class AccountDisabled(Conflict):
    pass


class UnknownRole(InvalidInput):
    pass


def parse_roles(names: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    roles: list[str] = []
    for name in names:
        try:
            role = Role(name).value
        except ValueError:
            raise UnknownRole(
                f"unknown role {name!r}; choose from {', '.join(r.value for r in Role)}"
            ) from None
        if role not in roles:
            roles.append(role)
    return tuple(roles) or (Role.MEMBER.value,)


class Account(Aggregate):
    """Create with `Account.register(...)`. An account's id is derived from its email (keyed
    hash), so the event store's primary key guarantees one account per email. The email itself
    is stored sealed by the personal-data vault, never in clear."""

    class Registered(Aggregate.Created):
        sealed_email: str
        password_hash: str
        roles: tuple[str, ...]

    class RolesGranted(Aggregate.Event):
        roles: tuple[str, ...]

    class PasswordChanged(Aggregate.Event):
        password_hash: str

    class Disabled(Aggregate.Event):
        pass

    @event(Registered)
    def __init__(self, *, sealed_email: str, password_hash: str, roles: tuple[str, ...]) -> None:
        self.sealed_email = sealed_email
        self.password_hash = password_hash
        self.roles = tuple(roles)
        self.disabled = False

    @classmethod
    def register(
        cls, account_id: UUID, sealed_email: str, password_hash: str, roles: tuple[str, ...]
    ) -> Account:
        return cls._create(
            cls.Registered,
            id=account_id,
            sealed_email=sealed_email,
            password_hash=password_hash,
            roles=roles,
        )

    def grant_roles(self, roles: tuple[str, ...]) -> None:
        new = tuple(r for r in parse_roles(list(roles)) if r not in self.roles)
        if new:
            self._roles_granted(roles=new)

    @event(RolesGranted)
    def _roles_granted(self, roles: tuple[str, ...]) -> None:
        self.roles = self.roles + tuple(roles)

    def change_password(self, password_hash: str) -> None:
        self._ensure_enabled()
        self._password_changed(password_hash=password_hash)

    @event(PasswordChanged)
    def _password_changed(self, password_hash: str) -> None:
        self.password_hash = password_hash

    def disable(self) -> None:
        self._ensure_enabled()
        self._disabled()

    @event(Disabled)
    def _disabled(self) -> None:
        self.disabled = True

    def _ensure_enabled(self) -> None:
        if self.disabled:
            raise AccountDisabled("the account is disabled")
