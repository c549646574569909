"""The TitleList aggregate: a named list of titles beside the watchlist (which stays each
person's default list). Its titles are in the order people rank them, each with tags. The
owner may share it read-only through a secret link (only the secret's hash is recorded, so
the log never holds a working link) and may let other accounts edit it (a household list).
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.shared.errors import Conflict, Forbidden, InvalidInput, NotFound

MAX_NAME = 80
MAX_TITLES = 500
MAX_TAGS = 10
MAX_MEMBERS = 10
TAG = re.compile(r"^[\w][\w -]{0,29}\Z")
HASH = re.compile(r"^[0-9a-f]{64}\Z")


def share_hash(secret: str) -> str:
    """What the log keeps of a share link's secret (SHA-256: the secret has 256 random bits,
    so a fast hash is enough; a leaked log opens no list)."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ListNotFound(NotFound):
    pass


class NotListOwner(Forbidden):
    pass


class TitleAlreadyListed(Conflict):
    pass


class TitleNotListed(NotFound):
    pass


class NotAMember(NotFound):
    pass


def clean_name(name: str) -> str:
    name = " ".join(str(name).split())
    if not name:
        raise InvalidInput("a list needs a name")
    if len(name) > MAX_NAME:
        raise InvalidInput(f"a list name has at most {MAX_NAME} characters")
    return name


def clean_tags(tags: list[str]) -> list[str]:
    cleaned: list[str] = []
    for raw in tags:
        tag = " ".join(str(raw).split()).lower()
        if not TAG.match(tag):
            raise InvalidInput(f"{raw!r} is not a tag: 1 to 30 letters, digits, spaces or - _")
        if tag not in cleaned:
            cleaned.append(tag)
    if len(cleaned) > MAX_TAGS:
        raise InvalidInput(f"at most {MAX_TAGS} tags per title")
    return cleaned


class TitleList(Aggregate):
    class Created(Aggregate.Created):
        owner_id: UUID
        name: str
        created_at: datetime

    class Renamed(Aggregate.Event):
        name: str

    class Deleted(Aggregate.Event):
        at: datetime

    class TitleListed(Aggregate.Event):
        tmdb_id: int
        title_id: UUID
        by: UUID
        at: datetime

    class TitleUnlisted(Aggregate.Event):
        tmdb_id: int

    class TitleMoved(Aggregate.Event):
        tmdb_id: int
        position: int
        """0-based, in the order after the move"""

    class TitleTagged(Aggregate.Event):
        tmdb_id: int
        tags: list[str]

    class ShareLinkIssued(Aggregate.Event):
        secret_hash: str
        at: datetime

    class ShareLinkRevoked(Aggregate.Event):
        at: datetime

    class MemberAdded(Aggregate.Event):
        account_id: UUID

    class MemberRemoved(Aggregate.Event):
        account_id: UUID

    @classmethod
    def create(cls, list_id: UUID, owner_id: UUID, name: str, at: datetime) -> TitleList:
        return cls._create(
            cls.Created, id=list_id, owner_id=owner_id, name=clean_name(name), created_at=at
        )

    @event(Created)
    def __init__(self, *, owner_id: UUID, name: str, created_at: datetime) -> None:
        # JSON-shaped state (string keys, lists) so snapshots round-trip exactly.
        self.owner_id = owner_id
        self.name = name
        self.order: list[int] = []
        self.tags: dict[str, list[str]] = {}
        self.members: list[str] = []
        self.share_hash: str | None = None
        self.deleted = False

    # -- who may do what -----------------------------------------------------------

    def can_edit(self, account_id: UUID) -> bool:
        return not self.deleted and (account_id == self.owner_id or str(account_id) in self.members)

    def require_editor(self, account_id: UUID) -> None:
        if not self.can_edit(account_id):
            raise ListNotFound("no such list")

    def require_owner(self, account_id: UUID) -> None:
        self.require_editor(account_id)
        if account_id != self.owner_id:
            raise NotListOwner("only the list's owner may do that")

    # -- commands ------------------------------------------------------------------

    def rename(self, by: UUID, name: str) -> None:
        self.require_owner(by)
        name = clean_name(name)
        if name != self.name:
            self._renamed(name=name)

    @event(Renamed)
    def _renamed(self, name: str) -> None:
        self.name = name

    def delete(self, by: UUID, at: datetime) -> None:
        self.require_owner(by)
        self._deleted(at=at)

    @event(Deleted)
    def _deleted(self, at: datetime) -> None:
        self.deleted = True
        self.share_hash = None

    def add_title(self, by: UUID, tmdb_id: int, title_id: UUID, at: datetime) -> None:
        self.require_editor(by)
        if tmdb_id <= 0:
            raise InvalidInput("tmdb_id must be a positive number")
        if tmdb_id in self.order:
            raise TitleAlreadyListed("this title is already on the list")
        if len(self.order) >= MAX_TITLES:
            raise InvalidInput(f"a list holds at most {MAX_TITLES} titles")
        self._title_listed(tmdb_id=tmdb_id, title_id=title_id, by=by, at=at)

    @event(TitleListed)
    def _title_listed(self, tmdb_id: int, title_id: UUID, by: UUID, at: datetime) -> None:
        self.order.append(tmdb_id)

    def remove_title(self, by: UUID, tmdb_id: int) -> None:
        self.require_editor(by)
        self._require_title(tmdb_id)
        self._title_unlisted(tmdb_id=tmdb_id)

    @event(TitleUnlisted)
    def _title_unlisted(self, tmdb_id: int) -> None:
        self.order.remove(tmdb_id)
        self.tags.pop(str(tmdb_id), None)

    def move_title(self, by: UUID, tmdb_id: int, position: int) -> bool:
        """Moves the title to `position` (0 = first); the same place records nothing."""
        self.require_editor(by)
        self._require_title(tmdb_id)
        if not 0 <= position < len(self.order):
            raise InvalidInput(f"position must be from 0 to {len(self.order) - 1}")
        if self.order.index(tmdb_id) == position:
            return False
        self._title_moved(tmdb_id=tmdb_id, position=position)
        return True

    @event(TitleMoved)
    def _title_moved(self, tmdb_id: int, position: int) -> None:
        self.order.remove(tmdb_id)
        self.order.insert(position, tmdb_id)

    def tag_title(self, by: UUID, tmdb_id: int, tags: list[str]) -> bool:
        self.require_editor(by)
        self._require_title(tmdb_id)
        cleaned = clean_tags(tags)
        if cleaned == self.tags.get(str(tmdb_id), []):
            return False
        self._title_tagged(tmdb_id=tmdb_id, tags=cleaned)
        return True

    @event(TitleTagged)
    def _title_tagged(self, tmdb_id: int, tags: list[str]) -> None:
        if tags:
            self.tags[str(tmdb_id)] = list(tags)
        else:
            self.tags.pop(str(tmdb_id), None)

    def share(self, by: UUID, secret_hash: str, at: datetime) -> None:
        """A new read-only link; an earlier one stops working."""
        self.require_owner(by)
        if not HASH.match(secret_hash):
            raise InvalidInput("a share link is recorded as a SHA-256 hex digest")
        self._shared(secret_hash=secret_hash, at=at)

    @event(ShareLinkIssued)
    def _shared(self, secret_hash: str, at: datetime) -> None:
        self.share_hash = secret_hash

    def revoke_share(self, by: UUID, at: datetime) -> bool:
        self.require_owner(by)
        if self.share_hash is None:
            return False
        self._share_revoked(at=at)
        return True

    @event(ShareLinkRevoked)
    def _share_revoked(self, at: datetime) -> None:
        self.share_hash = None

    def add_member(self, by: UUID, account_id: UUID) -> bool:
        """Lets another account edit the list (a household list)."""
        self.require_owner(by)
        if account_id == self.owner_id:
            raise InvalidInput("you own this list already")
        if str(account_id) in self.members:
            return False
        if len(self.members) >= MAX_MEMBERS:
            raise InvalidInput(f"a list has at most {MAX_MEMBERS} members besides its owner")
        self._member_added(account_id=account_id)
        return True

    @event(MemberAdded)
    def _member_added(self, account_id: UUID) -> None:
        self.members.append(str(account_id))

    def remove_member(self, by: UUID, account_id: UUID) -> None:
        """The owner removes a member, or a member leaves."""
        self.require_editor(by)
        if by != self.owner_id and by != account_id:
            raise NotListOwner("only the list's owner may remove someone else")
        if str(account_id) not in self.members:
            raise NotAMember("that account is not a member of this list")
        self._member_removed(account_id=account_id)

    @event(MemberRemoved)
    def _member_removed(self, account_id: UUID) -> None:
        self.members.remove(str(account_id))

    def _require_title(self, tmdb_id: int) -> None:
        if tmdb_id not in self.order:
            raise TitleNotListed("this title is not on the list")
