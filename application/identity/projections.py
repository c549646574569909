"""Accounts projection: what login needs, in the internal schema `app` (never `read`)."""

from __future__ import annotations

from functools import singledispatchmethod
from typing import Any

from application.shared.ports import Cursor
from application.shared.projection import Position, Projection
from domain.identity.account import Account


class AccountsProjection(Projection):
    name = "accounts"
    applications = ("identity",)
    tables = ("app.accounts",)

    @singledispatchmethod
    def apply(self, event: Any, cursor: Cursor, position: Position) -> None:
        pass

    @apply.register
    def _(self, event: Account.Registered, cursor: Cursor, position: Position) -> None:
        cursor.execute(
            "INSERT INTO app.accounts (id, password_hash, roles, disabled, registered_at)"
            " VALUES (%s, %s, %s, false, %s) ON CONFLICT (id) DO NOTHING",
            (event.originator_id, event.password_hash, list(event.roles), event.timestamp),
        )

    @apply.register
    def _(self, event: Account.RolesGranted, cursor: Cursor, position: Position) -> None:
        cursor.execute(
            "UPDATE app.accounts SET roles = roles || %s::text[] WHERE id = %s",
            (list(event.roles), event.originator_id),
        )

    @apply.register
    def _(self, event: Account.PasswordChanged, cursor: Cursor, position: Position) -> None:
        cursor.execute(
            "UPDATE app.accounts SET password_hash = %s WHERE id = %s",
            (event.password_hash, event.originator_id),
        )

    @apply.register
    def _(self, event: Account.Disabled, cursor: Cursor, position: Position) -> None:
        cursor.execute(
            "UPDATE app.accounts SET disabled = true WHERE id = %s", (event.originator_id,)
        )

    @apply.register
    def _(self, event: Account.VerificationRequested, cursor: Cursor, position: Position) -> None:
        cursor.execute(
            "UPDATE app.accounts SET verified = false WHERE id = %s", (event.originator_id,)
        )

    @apply.register
    def _(self, event: Account.EmailVerified, cursor: Cursor, position: Position) -> None:
        cursor.execute(
            "UPDATE app.accounts SET verified = true, password_hash = %s WHERE id = %s",
            (event.password_hash, event.originator_id),
        )

    @apply.register
    def _(self, event: Account.Erased, cursor: Cursor, position: Position) -> None:
        cursor.execute(
            "UPDATE app.accounts SET disabled = true, erased = true, verified = false,"
            " password_hash = '' WHERE id = %s",
            (event.originator_id,),
        )


PROJECTIONS: list[type[Projection]] = [AccountsProjection]
