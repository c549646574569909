"""Local fake of TMDB API v3 (a real HTTP server speaking the vendor's contract).

Answers /3/search/movie, /3/movie/{id} (with append_to_response), /3/configuration and
/3/movie/{id}/watch/providers from the bundled catalogue. Auth: `Authorization: Bearer` or
`?api_key=`, checked against the keys the fakes were given (stand_ins/access.py, which also
applies TMDB's rate limit: 429 with status_code 25). Errors use TMDB's body
{status_code, status_message, success:false}; injected 401/404 carry codes 7/34. Posters are
served as small SVGs under /t/p/{size}/{file} so `kairos up` shows images offline.
"""

from __future__ import annotations

import math
import os
from html import escape
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.responses import JSONResponse

from stand_ins.access import ACCESS
from stand_ins.catalogue_state import STATE, bundled, control, injected

router = APIRouter()
router.include_router(control)

PAGE_SIZE = 20
PROVIDER_TYPES = {"sub": "flatrate", "rent": "rent", "buy": "buy", "free": "free"}


def tmdb_error(http: int, code: int, message: str, headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return JSONResponse(
        {"status_code": code, "status_message": message, "success": False},
        status_code=http,
        headers=headers,
    )


INJECTED = {
    401: (7, "Invalid API key: You must be granted a valid key."),
    404: (34, "The resource you requested could not be found."),
    429: (25, "Your request count (41) is over the allowed limit of (40)."),
    500: (11, "Internal error: Something went wrong, contact TMDb."),
    503: (46, "The API is undergoing maintenance. Try again later."),
    504: (24, "Your request to the backend server timed out. Try again."),
}


async def guard(api_key: str | None, authorization: str | None) -> JSONResponse | None:
    key = api_key or (authorization or "").removeprefix("Bearer ").strip()
    if not ACCESS.valid("tmdb", key):
        return tmdb_error(401, 7, "Invalid API key: You must be granted a valid key.")
    admission = ACCESS.admit("tmdb", key)
    if not admission.admitted:
        return tmdb_error(
            429,
            25,
            f"Your request count ({admission.limit + 1}) is over the allowed limit of"
            f" ({admission.limit}).",
            {"Retry-After": str(max(1, math.ceil(admission.retry_after)))},
        )
    failure = await injected("tmdb")
    if failure:
        code, message = INJECTED.get(failure.status, (11, "Internal error"))
        headers = (
            {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else None
        )
        return tmdb_error(failure.status, code, message, headers)
    return None


def summary(movie: dict[str, Any]) -> dict[str, Any]:
    keys = [
        "adult",
        "genre_ids",
        "id",
        "original_language",
        "original_title",
        "overview",
        "popularity",
        "poster_path",
        "release_date",
        "title",
        "vote_average",
        "vote_count",
    ]
    result = {k: movie.get(k, False if k == "adult" else None) for k in keys}
    result.update(backdrop_path=None, video=False)
    return result


def providers(movie: dict[str, Any]) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for offer in movie["sources"]:
        kind = PROVIDER_TYPES.get(offer["type"])
        if not kind:
            continue
        region = results.setdefault(
            offer["region"],
            {
                "link": f"https://www.themoviedb.org/movie/{movie['id']}/watch?locale={offer['region']}"
            },
        )
        entries = region.setdefault(kind, [])
        if all(e["provider_id"] != offer["source_id"] for e in entries):
            entries.append(
                {
                    "logo_path": f"/logo{offer['source_id']}.svg",
                    "provider_id": offer["source_id"],
                    "provider_name": offer["name"],
                    "display_priority": len(entries) + 1,
                }
            )
    return {"id": movie["id"], "results": results}


def details(movie: dict[str, Any]) -> dict[str, Any]:
    genres = {g["id"]: g["name"] for g in bundled()["genres"]}
    result = summary(movie)
    result.pop("genre_ids")
    result.update(
        belongs_to_collection=None,
        budget=0,
        genres=[{"id": g, "name": genres[g]} for g in movie["genre_ids"]],
        homepage="",
        imdb_id=movie["imdb_id"],
        origin_country=["US"],
        production_companies=[],
        production_countries=[],
        revenue=0,
        runtime=movie["runtime"],
        spoken_languages=[],
        status="Released",
        tagline="",
    )
    return result


KeyQuery = Annotated[str | None, Query(alias="api_key")]
AuthHeader = Annotated[str | None, Header()]


async def refusal(
    api_key: KeyQuery = None, authorization: AuthHeader = None
) -> JSONResponse | None:
    """TMDB's answer when the key is missing or a failure is injected, else None."""
    return await guard(api_key, authorization)


Refusal = Annotated[JSONResponse | None, Depends(refusal)]


@router.get("/3/search/movie")
async def search_movie(
    refused: Refusal,
    query: str | None = None,
    page: str = "1",
    year: str | None = None,
    primary_release_year: str | None = None,
) -> Response:
    if refused:
        return refused
    if not page.isdigit() or not 1 <= int(page) <= 500:
        return tmdb_error(
            400,
            22,
            "Invalid page: Pages start at 1 and max at 500. They are expected to be an integer.",
        )
    page_number = int(page)
    wanted_year = year or primary_release_year
    words = (query or "").lower().split()
    hits = [
        m
        for m in STATE.movies.values()
        if words
        and all(w in m["title"].lower() for w in words)
        and (not wanted_year or m["release_date"].startswith(wanted_year))
    ]
    exact = (query or "").strip().lower()
    hits.sort(key=lambda m: (m["title"].lower() != exact, -m["popularity"]))
    start = (page_number - 1) * PAGE_SIZE
    return JSONResponse(
        {
            "page": page_number,
            "results": [summary(m) for m in hits[start : start + PAGE_SIZE]],
            "total_pages": max(1, -(-len(hits) // PAGE_SIZE)) if hits else 1,
            "total_results": len(hits),
        }
    )


@router.get("/3/find/{external_id}")
async def find(
    external_id: str,
    external_source: str | None = None,
    api_key: KeyQuery = None,
    authorization: AuthHeader = None,
) -> Response:
    """TMDB's lookup by external id; only imdb_id is in the bundled catalogue."""
    refused = await guard(api_key, authorization)
    if refused:
        return refused
    if not external_source:
        return tmdb_error(400, 5, "Invalid parameters: external_source is required.")
    hits = (
        [m for m in STATE.movies.values() if m["imdb_id"] == external_id]
        if external_source == "imdb_id"
        else []
    )
    return JSONResponse(
        {
            "movie_results": [{**summary(m), "media_type": "movie"} for m in hits],
            "person_results": [],
            "tv_results": [],
            "tv_episode_results": [],
            "tv_season_results": [],
        }
    )


@router.get("/3/configuration")
async def configuration(
    refused: Refusal, request: Request, api_key: KeyQuery = None, authorization: AuthHeader = None
) -> Response:
    if refused:
        return refused
    # Where browsers fetch the posters: this server, unless it sits behind a proxy (the
    # container stack serves them through nginx and says so in FAKE_TMDB_IMAGE_BASE).
    base = os.environ.get("FAKE_TMDB_IMAGE_BASE") or str(request.base_url).rstrip("/") + "/t/p/"
    return JSONResponse(
        {
            "images": {
                "base_url": base,
                "secure_base_url": base,
                "backdrop_sizes": ["w300", "w780", "w1280", "original"],
                "logo_sizes": ["w45", "w92", "w154", "w185", "w300", "w500", "original"],
                "poster_sizes": ["w92", "w154", "w185", "w342", "w500", "w780", "original"],
                "profile_sizes": ["w45", "w185", "h632", "original"],
                "still_sizes": ["w92", "w185", "w300", "original"],
            },
            "change_keys": ["adult", "images", "overview", "release_dates", "title"],
        }
    )


@router.get("/3/movie/{movie_id}/watch/providers")
async def watch_providers(
    refused: Refusal, movie_id: str, api_key: KeyQuery = None, authorization: AuthHeader = None
) -> Response:
    if refused:
        return refused
    movie = STATE.movies.get(int(movie_id)) if movie_id.isdigit() else None
    if movie is None:
        return tmdb_error(404, 34, "The resource you requested could not be found.")
    return JSONResponse(providers(movie))


@router.get("/3/movie/{movie_id}")
async def movie_details(
    refused: Refusal,
    movie_id: str,
    append_to_response: str | None = None,
) -> Response:
    if refused:
        return refused
    movie = STATE.movies.get(int(movie_id)) if movie_id.isdigit() else None
    if movie is None:
        return tmdb_error(404, 34, "The resource you requested could not be found.")
    result = details(movie)
    appended = [a for a in (append_to_response or "").split(",") if a]
    if len(appended) > 20:
        return tmdb_error(400, 27, "Too many append to response objects: the maximum is 20.")
    for name in appended:
        if name == "watch/providers":
            result[name] = {"results": providers(movie)["results"]}
        elif name == "external_ids":
            result[name] = {"imdb_id": movie["imdb_id"], "wikidata_id": None}
    return JSONResponse(result)


@router.get("/t/p/{size}/{file_name}")
def poster(size: str, file_name: str) -> Response:
    """A generated placeholder poster: the title on a colour derived from the id."""
    digits = "".join(c for c in file_name if c.isdigit())
    movie = STATE.movies.get(int(digits)) if digits else None
    title = escape(movie["title"]) if movie else "Kairos"
    hue = int(digits or 0) * 47 % 360
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="342" height="513" viewBox="0 0 342 513">'
        f'<rect width="342" height="513" fill="hsl({hue},45%,35%)"/>'
        f'<text x="171" y="256" font-family="sans-serif" font-size="22" fill="white" '
        f'text-anchor="middle">{title}</text></svg>'
    )
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "max-age=86400"})
