"""Account: given past events, when a command runs, then these events (or this error)."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.domain import DomainEvent

from domain.identity.account import (
    Account,
    AccountDisabled,
    UnknownRole,
    parse_roles,
)
from domain.shared.errors import Conflict, InvalidInput
from tests.support.decider import given_history
from tests.support.decider import then_events as then

SEALED = "sealed:v1:opaque"


def given(*commands: Any) -> tuple[Account, list[DomainEvent]]:
    """A member's account rebuilt from the events its history produced."""
    return given_history(Account.register(uuid4(), SEALED, "hash-0", ("member",)), *commands)


def test_registering_records_the_sealed_email_the_hash_and_the_roles() -> None:
    account_id = uuid4()
    account = Account.register(account_id, SEALED, "hash-0", ("researcher",))
    (registered,) = then(account)
    assert isinstance(registered, Account.Registered)
    assert registered.originator_id == account_id
    assert (registered.sealed_email, registered.password_hash, registered.roles) == (
        SEALED,
        "hash-0",
        ("researcher",),
    )


def test_replaying_the_history_gives_the_same_state() -> None:
    account, history = given(
        lambda a: a.grant_roles(("auditor",)), lambda a: a.change_password("hash-1")
    )
    assert [type(e) for e in history] == [
        Account.Registered,
        Account.RolesGranted,
        Account.PasswordChanged,
    ]
    assert account.roles == ("member", "auditor")
    assert account.password_hash == "hash-1"
    assert account.version == 3


def test_granting_roles_records_only_the_new_ones() -> None:
    account, _ = given()
    account.grant_roles(("member", "admin", "admin"))
    (granted,) = then(account)
    assert isinstance(granted, Account.RolesGranted)
    assert granted.roles == ("admin",)


def test_granting_roles_the_account_already_has_records_nothing() -> None:
    account, _ = given(lambda a: a.grant_roles(("analyst",)))
    account.grant_roles(("analyst", "member"))
    assert then(account) == []


def test_an_unknown_role_is_refused_as_invalid_input() -> None:
    account, _ = given()
    with pytest.raises(UnknownRole, match="unknown role 'wizard'") as refused:
        account.grant_roles(("wizard",))
    assert isinstance(refused.value, InvalidInput)
    assert then(account) == []


def test_a_disabled_account_cannot_change_its_password_or_be_disabled_again() -> None:
    account, _ = given(lambda a: a.disable())
    assert account.disabled
    with pytest.raises(AccountDisabled) as refused:
        account.change_password("hash-2")
    assert isinstance(refused.value, Conflict)
    with pytest.raises(AccountDisabled):
        account.disable()
    assert then(account) == []


def test_changing_the_password_records_the_new_hash() -> None:
    account, _ = given()
    account.change_password("hash-9")
    (changed,) = then(account)
    assert isinstance(changed, Account.PasswordChanged)
    assert changed.password_hash == "hash-9"


def test_parse_roles_defaults_to_member_and_drops_duplicates() -> None:
    assert parse_roles([]) == ("member",)
    assert parse_roles(["admin", "researcher", "admin"]) == ("admin", "researcher")
