"""MyVOD routes: the user's watchlist, services, suggestions, import, and title search."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, HTTPException, Path, Query, Response
from pydantic import BaseModel, ConfigDict, Field, model_validator

from application.myvod import queries
from application.myvod.base import NotConnected
from application.myvod.ports import UpstreamRefused, UpstreamUnavailable
from domain.shared.errors import NotFound
from infrastructure.bootstrap import Container
from interfaces.http.budgets import CATALOGUE_SEARCHES, charge
from interfaces.http.deps import ContainerDep, PrincipalDep
from interfaces.http.errors import ERROR_RESPONSES, TooManyRequests

UPSTREAM_RESPONSES: dict[int | str, dict[str, Any]] = {
    **ERROR_RESPONSES,
    502: {"description": "The film catalogue (TMDB) refused the request"},
}
router = APIRouter(responses=UPSTREAM_RESPONSES, tags=["myvod"])
READ_YOUR_WRITES_SECONDS = 5.0
TmdbId = Annotated[int, Path(gt=0, lt=2**31, description="TMDB movie id")]
T = TypeVar("T")


class Offer(BaseModel):
    service: str = Field(examples=["netflix"])
    type: str = Field(description="stream | free | rent | buy | tve")
    region: str = Field(examples=["PL"])
    url: str | None


class WatchlistItem(BaseModel):
    tmdb_id: int
    title: str | None = Field(description="null until TMDB's metadata arrives")
    year: int | None
    poster_url: str | None
    status: str = Field(description="to_watch | watched")
    rating: int | None = Field(description="1-10")
    added_at: datetime
    watched_at: datetime | None = None
    note: str | None = Field(None, description="private; never in analytics tables")
    metadata: str = Field(description="pending | ready | unknown (TMDB has no such id)")
    genres: list[str] = []
    availability_checked_at: datetime | None = None
    availability: list[Offer] = Field(description="offers in the user's region (all if unset)")
    new: bool = Field(
        False,
        description="it arrived on one of your services (to stream or free) in the last 7 days"
        " and you were alerted (GET /me/alerts)",
    )


class WatchlistOut(BaseModel):
    region: str | None
    services: list[str]
    items: list[WatchlistItem]


class AddItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tmdb_id: int | None = Field(None, gt=0, lt=2**31)
    query: str | None = Field(None, min_length=1, max_length=200)

    @model_validator(mode="after")
    def one_of(self) -> AddItem:
        if (self.tmdb_id is None) == (self.query is None):
            raise ValueError("give exactly one of tmdb_id or query")
        return self


class Watched(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rating: int | None = Field(None, ge=1, le=10)
    watched_on: date | None = Field(None, description="when you watched it (default: now)")


class Note(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str = Field(max_length=500, description="empty clears it")


class Services(BaseModel):
    model_config = ConfigDict(extra="forbid")

    region: str = Field(min_length=2, max_length=2, examples=["PL"])
    services: list[str] = Field(max_length=30, examples=[["netflix", "hbomax"]])


class SuggestionItem(BaseModel):
    tmdb_id: int | None = Field(description="null when the title could not be matched")
    title: str
    year: int | None = None
    poster_url: str | None = None
    reason: str
    feedback: str | None = Field(
        None, description="what you said of this pick: liked | seen | not_interested"
    )


class SuggestionsOut(BaseModel):
    status: str = Field(description="none | pending | ready")
    items: list[SuggestionItem]
    source: str | None = Field(None, description="gemini | offline")
    offline: bool = False
    note: str | None = None
    request_id: str | None = None
    requested_at: datetime | None = None
    answered_at: datetime | None = None


class SuggestionsAccepted(BaseModel):
    status: str = "pending"
    request_id: str


class SearchResult(BaseModel):
    tmdb_id: int
    title: str
    year: int | None
    poster_url: str | None


class SearchOut(BaseModel):
    results: list[SearchResult]


def upstream(call: Callable[[], T]) -> T:
    try:
        return call()
    except UpstreamUnavailable as error:
        raise TooManyRequests(
            "the film catalogue is busy; try again shortly", int(error.retry_after or 5)
        ) from None
    except UpstreamRefused as error:
        raise HTTPException(502, f"the film catalogue refused the request: {error}") from None


def settle(container: Container, position: int) -> None:
    if position:
        container.database.wait_for(queries.PROJECTION, "myvod", position, READ_YOUR_WRITES_SECONDS)


def item_or_404(container: Container, account_id: Any, tmdb_id: int) -> WatchlistItem:
    item = queries.watchlist_item(
        container.database, account_id, tmdb_id, container.myvod.catalogue
    )
    if item is None:
        raise NotFound("this title is not on your watchlist")
    return WatchlistItem(**item)


@router.get("/me/watchlist", response_model=WatchlistOut)
def get_watchlist(
    principal: PrincipalDep,
    container: ContainerDep,
    available: Annotated[
        bool, Query(description="only titles streamable on your services in your region")
    ] = False,
) -> WatchlistOut:
    view = queries.watchlist_view(
        container.database, principal.account_id, available, container.myvod.catalogue
    )
    return WatchlistOut(**view)


@router.post("/me/watchlist/items", status_code=201, response_model=WatchlistItem)
def add_item(body: AddItem, principal: PrincipalDep, container: ContainerDep) -> WatchlistItem:
    if body.query is not None:
        charge(container, principal, CATALOGUE_SEARCHES)
    tmdb_id, position = upstream(
        lambda: container.myvod.add_title(principal.account_id, body.tmdb_id, body.query)
    )
    settle(container, position)
    return item_or_404(container, principal.account_id, tmdb_id)


@router.delete("/me/watchlist/items/{tmdb_id}", status_code=204)
def remove_item(tmdb_id: TmdbId, principal: PrincipalDep, container: ContainerDep) -> Response:
    settle(container, container.myvod.remove_title(principal.account_id, tmdb_id))
    return Response(status_code=204)


@router.post("/me/watchlist/items/{tmdb_id}/watched", response_model=WatchlistItem)
def mark_watched(
    tmdb_id: TmdbId, principal: PrincipalDep, container: ContainerDep, body: Watched | None = None
) -> WatchlistItem:
    rating = body.rating if body else None
    watched_at = (
        datetime.combine(body.watched_on, time(12), tzinfo=UTC)
        if body and body.watched_on
        else None
    )
    settle(
        container, container.myvod.mark_watched(principal.account_id, tmdb_id, rating, watched_at)
    )
    return item_or_404(container, principal.account_id, tmdb_id)


@router.put("/me/watchlist/items/{tmdb_id}/note", response_model=WatchlistItem)
def write_note(
    tmdb_id: TmdbId, body: Note, principal: PrincipalDep, container: ContainerDep
) -> WatchlistItem:
    settle(container, container.myvod.write_note(principal.account_id, tmdb_id, body.note))
    return item_or_404(container, principal.account_id, tmdb_id)


@router.put("/me/watchlist/services", response_model=Services)
def choose_services(body: Services, principal: PrincipalDep, container: ContainerDep) -> Services:
    """Slugs from GET /services only: an unknown one is a 422 naming the closest slugs."""
    settle(
        container,
        upstream(
            lambda: container.myvod.choose_services(
                principal.account_id, body.region, body.services
            )
        ),
    )
    view = queries.watchlist_view(container.database, principal.account_id)
    return Services(region=view["region"] or body.region.upper(), services=view["services"])


@router.post("/me/watchlist/suggestions", status_code=202, response_model=SuggestionsAccepted)
def request_suggestions(principal: PrincipalDep, container: ContainerDep) -> SuggestionsAccepted:
    request_id, position = container.myvod.request_suggestions(principal.account_id)
    settle(container, position)
    return SuggestionsAccepted(request_id=request_id)


@router.get("/me/watchlist/suggestions", response_model=SuggestionsOut)
def get_suggestions(principal: PrincipalDep, container: ContainerDep) -> SuggestionsOut:
    return SuggestionsOut(
        **queries.suggestions_view(
            container.database, principal.account_id, container.myvod.catalogue
        )
    )


@router.get("/titles/search", response_model=SearchOut)
def search_titles(
    principal: PrincipalDep,
    container: ContainerDep,
    q: Annotated[str, Query(min_length=1, max_length=200)],
) -> SearchOut:
    charge(container, principal, CATALOGUE_SEARCHES)
    try:
        results = upstream(lambda: container.myvod.search_catalogue(q))
    except NotConnected:
        raise HTTPException(502, "no film catalogue is configured") from None
    return SearchOut(results=[SearchResult(**r) for r in results])


class ServiceOut(BaseModel):
    service: str = Field(description="the slug to use in PUT /me/watchlist/services")
    name: str
    type: str = Field(description="stream | free | tve | purchase (rent/buy stores)")
    regions: list[str]
    logo_url: str | None = Field(None, description="the service's logo (from Watchmode)")


class ServicesCatalogue(BaseModel):
    region: str | None
    services: list[ServiceOut]


@router.get("/services", response_model=ServicesCatalogue)
def list_services(
    principal: PrincipalDep,
    container: ContainerDep,
    region: Annotated[str | None, Query(min_length=2, max_length=2, examples=["PL"])] = None,
) -> ServicesCatalogue:
    """The streaming services known to Watchmode (optionally in one region), with the slugs
    a user picks from."""
    source = container.myvod.availability_source
    if source is None:
        raise HTTPException(502, "no availability source is configured")
    services = upstream(lambda: source.services(region))
    return ServicesCatalogue(
        region=region.upper() if region else None,
        services=[ServiceOut(**vars(s)) for s in services],
    )


class DatedOffer(Offer):
    since: datetime


class AvailabilityChange(BaseModel):
    at: datetime
    change: str = Field(description="added | removed")
    region: str
    service: str
    type: str


class TitleOut(BaseModel):
    tmdb_id: int
    title: str | None
    year: int | None
    poster_url: str | None
    overview: str | None
    genres: list[str]
    runtime: int | None
    metadata: str = Field(description="pending | ready | unknown")
    availability_checked_at: datetime | None
    availability: list[DatedOffer] = Field(description="every region")
    history: list[AvailabilityChange] = Field(description="newest first, at most 500")


@router.get("/titles/{tmdb_id}", response_model=TitleOut)
def get_title(tmdb_id: TmdbId, principal: PrincipalDep, container: ContainerDep) -> TitleOut:
    """A title someone has added: metadata, offers in every region, and when each offer
    appeared or disappeared (from Title.AvailabilityChanged events)."""
    view = queries.title_view(container.database, tmdb_id, container.myvod.catalogue)
    if view is None:
        raise NotFound("no one has added this title yet; search with /titles/search")
    return TitleOut(**view)
