"""Lists beside the watchlist: /me/lists (ranked, tagged, shared, household) and the public
read-only view behind a share link, /public/lists/{secret} (docs/myvod.md, "Lists")."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, Field

from application.myvod import list_queries
from application.myvod import queries as watchlist_queries
from application.myvod.list_views import PROJECTION
from domain.myvod.lists import MAX_NAME, MAX_TAGS, ListNotFound, share_hash
from domain.shared.errors import NotFound
from infrastructure.bootstrap import Container
from interfaces.http.deps import ContainerDep, PrincipalDep
from interfaces.http.errors import ERROR_RESPONSES
from interfaces.http.myvod import READ_YOUR_WRITES_SECONDS, TmdbId

router = APIRouter(responses=ERROR_RESPONSES, tags=["myvod"])
ListId = Annotated[UUID, Path(description="a list's id (from GET /me/lists)")]
WATCHLIST = "watchlist"


class ListSummary(BaseModel):
    id: str = Field(description='a list id, or "watchlist" for the default list')
    name: str
    default: bool = Field(description="true for the watchlist")
    role: str = Field(description="owner | member")
    count: int
    shared: bool
    members: int = Field(description="accounts editing it besides its owner")


class ListsOut(BaseModel):
    items: list[ListSummary] = Field(description="the watchlist first, then newest first")


class NewList(BaseModel):
    name: str = Field(min_length=1, max_length=MAX_NAME)


class ListItem(BaseModel):
    tmdb_id: int
    rank: int = Field(description="0 = first")
    tags: list[str]
    title: str | None
    year: int | None
    poster_url: str | None
    metadata: str | None = Field(default=None, description="pending | ready | unknown")


class Member(BaseModel):
    account_id: UUID
    email: str | None = Field(description="shown to the list's editors only")


class ListOut(BaseModel):
    id: UUID
    name: str
    role: str = Field(description="owner | member")
    shared: bool
    members: list[Member]
    items: list[ListItem] = Field(description="in rank order")


class ListTitle(BaseModel):
    tmdb_id: int = Field(gt=0, lt=2**31)


class NewPosition(BaseModel):
    position: int = Field(ge=0, description="0 = first")


class Tags(BaseModel):
    tags: list[str] = Field(max_length=MAX_TAGS)


class NewMember(BaseModel):
    email: str = Field(min_length=3, max_length=254)


class ShareOut(BaseModel):
    url: str = Field(description="GET it without a token: the list as JSON, no personal data")
    page_url: str = Field(description="the same list as a web page, to send to people")


class SharedItem(BaseModel):
    tmdb_id: int
    rank: int
    tags: list[str]
    title: str | None
    year: int | None
    poster_url: str | None


class SharedListOut(BaseModel):
    name: str
    items: list[SharedItem]


def _settled(container: Container, position: int) -> None:
    if position:
        container.database.wait_for(PROJECTION, "myvod", position, READ_YOUR_WRITES_SECONDS)
        container.database.wait_for(
            watchlist_queries.PROJECTION, "myvod", position, READ_YOUR_WRITES_SECONDS
        )


def _list_out(container: Container, account_id: UUID, list_id: UUID) -> ListOut:
    head = list_queries.list_head(container.database, list_id)
    if head is None or (head["owner_id"] != account_id and account_id not in head["members"]):
        raise ListNotFound("no such list")
    members = [Member(account_id=m, email=container.identity.email_of(m)) for m in head["members"]]
    return ListOut(
        id=list_id,
        name=head["name"],
        role="owner" if head["owner_id"] == account_id else "member",
        shared=head["shared"],
        members=members,
        items=[
            ListItem(**i)
            for i in list_queries.list_items(
                container.database, list_id, posters=container.myvod.catalogue
            )
        ],
    )


def _after(container: Container, account_id: UUID, list_id: UUID, position: int) -> ListOut:
    _settled(container, position)
    return _list_out(container, account_id, list_id)


@router.get("/me/lists", response_model=ListsOut)
def my_lists(principal: PrincipalDep, container: ContainerDep) -> ListsOut:
    """Your lists: the watchlist (the default), then the lists you own or edit with others."""
    watchlist = watchlist_queries.watchlist_view(container.database, principal.account_id)
    items = [
        ListSummary(
            id=WATCHLIST,
            name="Watchlist",
            default=True,
            role="owner",
            count=len(watchlist["items"]),
            shared=False,
            members=0,
        )
    ]
    for row in list_queries.lists_of(container.database, principal.account_id):
        items.append(
            ListSummary(
                id=str(row["list_id"]),
                name=row["name"],
                default=False,
                role="owner" if row["owned"] else "member",
                count=row["count"],
                shared=row["shared"],
                members=row["members"],
            )
        )
    return ListsOut(items=items)


@router.post("/me/lists", status_code=201, response_model=ListOut)
def create_list(body: NewList, principal: PrincipalDep, container: ContainerDep) -> ListOut:
    """A new, empty list (at most 50 each)."""
    list_id, position = container.myvod.create_list(principal.account_id, body.name)
    return _after(container, principal.account_id, list_id, position)


@router.get("/me/lists/{list_id}", response_model=ListOut)
def get_list(list_id: ListId, principal: PrincipalDep, container: ContainerDep) -> ListOut:
    """A list you own or edit, its titles in rank order. 404 for anyone else."""
    return _list_out(container, principal.account_id, list_id)


@router.patch("/me/lists/{list_id}", response_model=ListOut)
def rename_list(
    list_id: ListId, body: NewList, principal: PrincipalDep, container: ContainerDep
) -> ListOut:
    """Renames the list (its owner only: 403 for a member)."""
    position = container.myvod.rename_list(principal.account_id, list_id, body.name)
    return _after(container, principal.account_id, list_id, position)


@router.delete("/me/lists/{list_id}", status_code=204)
def delete_list(list_id: ListId, principal: PrincipalDep, container: ContainerDep) -> Response:
    """Deletes the list for everyone; its share link stops working (owner only)."""
    _settled(container, container.myvod.delete_list(principal.account_id, list_id))
    return Response(status_code=204)


@router.post("/me/lists/{list_id}/items", status_code=201, response_model=ListOut)
def add_to_list(
    list_id: ListId, body: ListTitle, principal: PrincipalDep, container: ContainerDep
) -> ListOut:
    """Adds a title at the end of the list (409 when it is on it already)."""
    position = container.myvod.add_to_list(principal.account_id, list_id, body.tmdb_id)
    return _after(container, principal.account_id, list_id, position)


@router.delete("/me/lists/{list_id}/items/{tmdb_id}", status_code=204)
def remove_from_list(
    list_id: ListId, tmdb_id: TmdbId, principal: PrincipalDep, container: ContainerDep
) -> Response:
    position = container.myvod.remove_from_list(principal.account_id, list_id, tmdb_id)
    _settled(container, position)
    return Response(status_code=204)


@router.put("/me/lists/{list_id}/items/{tmdb_id}/position", response_model=ListOut)
def move_in_list(
    list_id: ListId,
    tmdb_id: TmdbId,
    body: NewPosition,
    principal: PrincipalDep,
    container: ContainerDep,
) -> ListOut:
    """Ranks the title: moves it to `position` (0 = first), the others shift by one."""
    position = container.myvod.move_in_list(principal.account_id, list_id, tmdb_id, body.position)
    return _after(container, principal.account_id, list_id, position)


@router.put("/me/lists/{list_id}/items/{tmdb_id}/tags", response_model=ListOut)
def tag_in_list(
    list_id: ListId, tmdb_id: TmdbId, body: Tags, principal: PrincipalDep, container: ContainerDep
) -> ListOut:
    """Replaces the title's tags (lower-cased, de-duplicated; an empty list clears them)."""
    position = container.myvod.tag_in_list(principal.account_id, list_id, tmdb_id, body.tags)
    return _after(container, principal.account_id, list_id, position)


@router.post("/me/lists/{list_id}/share", response_model=ShareOut)
def share_list(list_id: ListId, principal: PrincipalDep, container: ContainerDep) -> ShareOut:
    """A new secret read-only link (an earlier one stops working). Only its hash is stored:
    this answer is the only time the link is shown. Owner only."""
    secret, position = container.myvod.share_list(principal.account_id, list_id)
    _settled(container, position)
    base = container.settings.public_url.rstrip("/")
    return ShareOut(url=f"{base}/public/lists/{secret}", page_url=f"{base}/shared/{secret}")


@router.delete("/me/lists/{list_id}/share", status_code=204)
def revoke_share(list_id: ListId, principal: PrincipalDep, container: ContainerDep) -> Response:
    """Revokes the share link: it answers 404 from now on. Owner only."""
    _settled(container, container.myvod.revoke_share(principal.account_id, list_id))
    return Response(status_code=204)


@router.post("/me/lists/{list_id}/members", response_model=ListOut)
def add_member(
    list_id: ListId, body: NewMember, principal: PrincipalDep, container: ContainerDep
) -> ListOut:
    """Lets another Kairos account edit the list (a household list). Owner only; 404 when no
    account has that email."""
    position = container.myvod.add_member(principal.account_id, list_id, body.email)
    return _after(container, principal.account_id, list_id, position)


@router.delete("/me/lists/{list_id}/members/{account_id}", status_code=204)
def remove_member(
    list_id: ListId, account_id: UUID, principal: PrincipalDep, container: ContainerDep
) -> Response:
    """The owner removes a member, or a member leaves (their own account id)."""
    position = container.myvod.remove_member(principal.account_id, list_id, account_id)
    _settled(container, position)
    return Response(status_code=204)


class CalendarOut(BaseModel):
    url: str = Field(description="the iCal feed; subscribe to it in a calendar app")


@router.post("/me/calendar", response_model=CalendarOut)
def issue_calendar(principal: PrincipalDep, container: ContainerDep) -> CalendarOut:
    """A secret URL of your release calendar (an iCal feed of when titles on your lists
    arrived to stream in your region). A new one replaces the old; only its hash is stored,
    so this answer is the only time it is shown."""
    key, position = container.myvod.issue_calendar_key(principal.account_id)
    _settled(container, position)
    base = container.settings.public_url.rstrip("/")
    return CalendarOut(url=f"{base}/me/calendar.ics?key={key}")


@router.delete("/me/calendar", status_code=204)
def revoke_calendar(principal: PrincipalDep, container: ContainerDep) -> Response:
    """The calendar URL stops working."""
    _settled(container, container.myvod.revoke_calendar_key(principal.account_id))
    return Response(status_code=204)


@router.get(
    "/me/calendar.ics",
    response_class=Response,
    responses={200: {"description": "iCal (RFC 5545)", "content": {"text/calendar": {}}}},
)
def calendar_feed(
    key: Annotated[str, Query(min_length=20, max_length=100)], container: ContainerDep
) -> Response:
    """The iCal feed behind a secret key, no token needed (calendar apps cannot send one).
    404 for an unknown or revoked key."""
    body = container.myvod.calendar_feed(key)
    return Response(body, media_type="text/calendar; charset=utf-8")


@router.get("/public/lists/{secret}", response_model=SharedListOut)
def shared_list(
    secret: Annotated[str, Path(min_length=20, max_length=100)], container: ContainerDep
) -> SharedListOut:
    """A shared list, read-only, without an account: its name and titles in rank order, with
    their tags. Nothing about its owner or members. 404 once revoked."""
    found = list_queries.shared_list(
        container.database, share_hash(secret), posters=container.myvod.catalogue
    )
    if found is None:
        raise NotFound("this link does not open a list (it may have been revoked)")
    return SharedListOut(name=found["name"], items=[SharedItem(**i) for i in found["items"]])
