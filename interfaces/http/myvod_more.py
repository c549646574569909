"""MyVOD routes the web app added: import with candidates, alerts, availability history."""

from __future__ import annotations

from datetime import date, datetime
from functools import partial
from typing import Annotated, Literal

from fastapi import APIRouter, File, Query, Response, UploadFile
from pydantic import BaseModel, Field

from application.myvod import queries
from application.myvod.importing import MAX_API_ROWS, parse_upload
from domain.shared.errors import NotFound
from interfaces.http import budgets
from interfaces.http.budgets import charge
from interfaces.http.deps import ContainerDep, PrincipalDep
from interfaces.http.myvod import (
    UPSTREAM_RESPONSES,
    SearchResult,
    TmdbId,
    settle,
    upstream,
)

router = APIRouter(responses=UPSTREAM_RESPONSES, tags=["myvod"])
IMPORT_BATCH = 100


class ImportedRow(BaseModel):
    title: str
    year: int | None
    status: str = Field(description="to_watch | watched")
    rating: int | None
    watched_on: date | None
    imdb_id: str | None


class UnmatchedRow(BaseModel):
    row: ImportedRow
    candidates: list[SearchResult] = Field(
        description="films it may be (add the right one with POST /me/watchlist/items)"
    )


class ImportOut(BaseModel):
    kind: str = Field(description="letterboxd | imdb")
    format: str = Field(description="the same as kind (kept for older clients)")
    total: int = Field(description="films in the file (after merging a ZIP's CSVs)")
    imported: int = Field(description="added + updated")
    added: int
    updated: int
    unchanged: int
    skipped: int = Field(description="rows without a title, or not films (series, episodes)")
    unmatched: list[UnmatchedRow]


@router.post("/me/watchlist/import", response_model=ImportOut)
def import_export(
    principal: PrincipalDep,
    container: ContainerDep,
    file: Annotated[UploadFile, File(description="Letterboxd export (ZIP or CSV) or IMDb CSV")],
) -> ImportOut:
    """Imports a Letterboxd export (its ZIP, or watchlist.csv / watched.csv / diary.csv /
    ratings.csv) or an IMDb ratings or watchlist CSV. Watchlist rows land to watch; watched,
    diary and rated rows land watched on their date, with their rating (Letterboxd stars x2).
    Rows match by IMDb id first, then title and year; the rest come back with candidates.
    Rows already on the list are updated, never duplicated. At most 1000 films (the CLI
    takes 5000), and 1000 rows per user and hour (429 with Retry-After beyond that, before
    any TMDB call)."""
    parsed = parse_upload(file.file.read(), file.filename, MAX_API_ROWS)
    charge(container, principal, budgets.IMPORT_ROWS, max(1, len(parsed.rows)))
    counts = {"added": 0, "updated": 0, "unchanged": 0}
    unmatched: list[UnmatchedRow] = []
    position = 0
    rows = parsed.rows
    for start in range(0, len(rows), IMPORT_BATCH):
        batch = rows[start : start + IMPORT_BATCH]
        outcomes = upstream(partial(container.myvod.import_rows, principal.account_id, batch))
        for row, outcome in zip(batch, outcomes, strict=True):
            if outcome.result == "unmatched":
                unmatched.append(
                    UnmatchedRow(
                        row=ImportedRow(
                            title=row.title,
                            year=row.year,
                            status="watched" if row.watched else "to_watch",
                            rating=row.rating,
                            watched_on=row.watched_on,
                            imdb_id=row.imdb_id,
                        ),
                        candidates=[SearchResult(**vars(c)) for c in outcome.candidates],
                    )
                )
            else:
                counts[outcome.result] += 1
            position = max(position, outcome.position)
    settle(container, position)
    return ImportOut(
        kind=parsed.kind,
        format=parsed.kind,
        total=len(rows),
        imported=counts["added"] + counts["updated"],
        skipped=parsed.skipped,
        unmatched=unmatched,
        **counts,
    )


class PickFeedback(BaseModel):
    title: str = Field(min_length=1, max_length=300, description="the pick's title")
    year: int | None = Field(None, ge=1870, le=2200)
    tmdb_id: int | None = Field(None, gt=0, lt=2**31, description="when the pick has one")
    verdict: Literal["liked", "seen", "not_interested"]


class PickFeedbackOut(BaseModel):
    title: str
    tmdb_id: int | None
    verdict: str
    recorded: bool = Field(description="false when this was already your verdict")


@router.post("/me/watchlist/suggestions/feedback", response_model=PickFeedbackOut)
def give_feedback(
    body: PickFeedback, principal: PrincipalDep, container: ContainerDep
) -> PickFeedbackOut:
    """What you think of a suggested pick: liked, already seen, or not interested. The next
    suggestions use it (more like what you liked, less like what you are not interested in)
    and never repeat a pick you gave a verdict on, nor a title on one of your lists."""
    recorded, position = container.myvod.give_feedback(
        principal.account_id, body.title, body.verdict, body.tmdb_id, body.year
    )
    settle(container, position)
    return PickFeedbackOut(
        title=body.title, tmdb_id=body.tmdb_id, verdict=body.verdict, recorded=recorded
    )


@router.get(
    "/me/export",
    response_class=Response,
    responses={
        200: {
            "description": "the file",
            "content": {"text/csv": {}, "application/json": {}},
        }
    },
)
def export_my_data(
    principal: PrincipalDep,
    container: ContainerDep,
    format: Annotated[
        Literal["letterboxd", "letterboxd_watchlist", "json"],
        Query(
            description="letterboxd: watched films as Letterboxd's import CSV;"
            " letterboxd_watchlist: films to watch, the same columns Letterboxd's"
            " watchlist import reads; json: everything"
        ),
    ] = "json",
) -> Response:
    """Your data to take elsewhere, as a download."""
    body, media_type, name = container.myvod.export_data(principal.account_id, format)
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


class AlertItem(BaseModel):
    tmdb_id: int
    title: str | None
    poster_url: str | None
    service: str
    type: str = Field(description="stream | free")
    region: str
    url: str | None = Field(description="where to watch it")
    at: datetime = Field(description="when Kairos noticed it arrived")


class AlertsOut(BaseModel):
    items: list[AlertItem] = Field(description="newest first, at most 200")


@router.get("/me/alerts", response_model=AlertsOut)
def my_alerts(principal: PrincipalDep, container: ContainerDep) -> AlertsOut:
    """The availability alerts raised for you: a title on your list arrived on one of your
    services in your region (each was also emailed)."""
    items = queries.alerts_view(
        container.database, principal.account_id, posters=container.myvod.catalogue
    )
    return AlertsOut(items=[AlertItem(**a) for a in items])


class AvailabilityEvent(BaseModel):
    at: datetime
    region: str
    service: str
    type: str = Field(description="stream | free | rent | buy | tve")
    change: str = Field(description="arrived | left")


class AvailabilityHistory(BaseModel):
    tmdb_id: int
    events: list[AvailabilityEvent] = Field(description="newest first, at most 500")


@router.get("/titles/{tmdb_id}/availability/history", response_model=AvailabilityHistory)
def availability_history(
    tmdb_id: TmdbId, principal: PrincipalDep, container: ContainerDep
) -> AvailabilityHistory:
    """When each offer of the title appeared or disappeared, in every region (recorded from
    Title.AvailabilityChanged events; the first check counts as arrivals)."""
    view = queries.title_view(container.database, tmdb_id, container.myvod.catalogue)
    if view is None:
        raise NotFound("no one has added this title yet; search with /titles/search")
    events = [
        AvailabilityEvent(
            at=h["at"],
            region=h["region"],
            service=h["service"],
            type=h["type"],
            change="arrived" if h["change"] == "added" else "left",
        )
        for h in view["history"]
    ]
    return AvailabilityHistory(tmdb_id=tmdb_id, events=events)
