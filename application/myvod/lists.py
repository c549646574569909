"""List use cases: several named lists per person beside the watchlist, ranked and tagged,
shared read-only through a secret link, edited by a household."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from typing import Any
from uuid import UUID

from application.myvod import list_queries
from application.myvod.base import MyVODBase
from domain.myvod.ids import title_id_for
from domain.myvod.lists import ListNotFound, TitleList, share_hash
from domain.myvod.title import Title
from domain.shared.errors import InvalidInput, NotFound

MAX_LISTS = 50


class NoSuchAccount(NotFound):
    pass


class ListUseCases(MyVODBase):
    def _list(self, list_id: UUID, account_id: UUID) -> TitleList:
        found = self.get_or_none(list_id)
        if not isinstance(found, TitleList):
            raise ListNotFound("no such list")
        found.require_editor(account_id)
        return found

    def _change(self, list_id: UUID, account_id: UUID, command: Callable[[TitleList], Any]) -> int:
        def attempt() -> int:
            titles = self._list(list_id, account_id)
            command(titles)
            return self.save_and_position(titles)

        return self._retrying(attempt)

    def create_list(self, account_id: UUID, name: str) -> tuple[UUID, int]:
        if list_queries.owned_count(self._read(), account_id) >= MAX_LISTS:
            raise InvalidInput(f"at most {MAX_LISTS} lists each")
        titles = TitleList.create(uuid.uuid4(), account_id, name, self.clock())
        return titles.id, self.save_and_position(titles)

    def rename_list(self, account_id: UUID, list_id: UUID, name: str) -> int:
        return self._change(list_id, account_id, lambda t: t.rename(account_id, name))

    def delete_list(self, account_id: UUID, list_id: UUID) -> int:
        return self._change(list_id, account_id, lambda t: t.delete(account_id, self.clock()))

    def add_to_list(self, account_id: UUID, list_id: UUID, tmdb_id: int) -> int:
        """Lists a title (registering it when new, so it is enriched and checked)."""
        if tmdb_id <= 0:
            raise InvalidInput("tmdb_id must be a positive number")

        def attempt() -> int:
            titles = self._list(list_id, account_id)
            new = None
            if self.get_or_none(title_id_for(tmdb_id)) is None:
                new = Title(tmdb_id=tmdb_id, title_hint=None, year_hint=None)
            titles.add_title(account_id, tmdb_id, title_id_for(tmdb_id), self.clock())
            return self.save_and_position(titles, *([new] if new else []))

        return self._retrying(attempt)

    def remove_from_list(self, account_id: UUID, list_id: UUID, tmdb_id: int) -> int:
        return self._change(list_id, account_id, lambda t: t.remove_title(account_id, tmdb_id))

    def move_in_list(self, account_id: UUID, list_id: UUID, tmdb_id: int, position: int) -> int:
        return self._change(
            list_id, account_id, lambda t: t.move_title(account_id, tmdb_id, position)
        )

    def tag_in_list(self, account_id: UUID, list_id: UUID, tmdb_id: int, tags: list[str]) -> int:
        return self._change(list_id, account_id, lambda t: t.tag_title(account_id, tmdb_id, tags))

    def share_list(self, account_id: UUID, list_id: UUID) -> tuple[str, int]:
        """A new secret link (the old one stops working); only its hash is recorded, so the
        secret is returned once, here."""
        secret = secrets.token_urlsafe(32)
        at = self.clock()
        position = self._change(
            list_id, account_id, lambda t: t.share(account_id, share_hash(secret), at)
        )
        return secret, position

    def revoke_share(self, account_id: UUID, list_id: UUID) -> int:
        return self._change(list_id, account_id, lambda t: t.revoke_share(account_id, self.clock()))

    def add_member(self, account_id: UUID, list_id: UUID, email: str) -> int:
        """Lets the account with this email edit the list."""
        member = self.accounts(email) if self.accounts else None
        if member is None:
            raise NoSuchAccount("no Kairos account has that email; ask them to sign up first")
        return self._change(list_id, account_id, lambda t: t.add_member(account_id, member))

    def remove_member(self, account_id: UUID, list_id: UUID, member_id: UUID) -> int:
        return self._change(list_id, account_id, lambda t: t.remove_member(account_id, member_id))
