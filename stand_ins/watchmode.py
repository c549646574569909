"""Local fake of Watchmode API v1 (a real HTTP server speaking the vendor's contract).

/v1/search/ (search_field name|imdb_id|tmdb_movie_id), /v1/title/{id}/sources/ (a bare
array; `regions` filter; ids also as `movie-{tmdb_id}`), /v1/sources/, each also without the
trailing slash (the docs write it, the official SDK does not). Auth: `?apiKey=`, `X-API-Key`
or `Authorization: Bearer`, checked against the fakes' keys. Every answer carries
X-RateLimit-Limit/-Remaining and X-Account-Quota/-Used; over the per-minute limit 429 with
Retry-After, over the monthly quota 402 (stand_ins/access.py; failures can also be injected
through /_control/watchmode). Errors: {success:false, statusCode, statusMessage}.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.responses import JSONResponse

from stand_ins.access import ACCESS, Admission
from stand_ins.catalogue_state import STATE, bundled, injected

router = APIRouter()

MESSAGES = {
    401: "Your API key is invalid.",
    402: "Over plan quota on this API Key.",
    404: "Title not found.",
    429: "The rate limit was exceeded.",
}


def wm_error(status: int, message: str | None = None, headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return JSONResponse(
        {
            "success": False,
            "statusCode": status,
            "statusMessage": message or MESSAGES.get(status, "Internal Server Error"),
        },
        status_code=status,
        headers=headers,
    )


def rate_headers(admission: Admission) -> dict[str, str]:
    headers = {
        "X-RateLimit-Limit": str(admission.limit),
        "X-RateLimit-Remaining": str(admission.remaining),
    }
    if admission.quota is not None:
        headers["X-Account-Quota"] = str(admission.quota)
        headers["X-Account-Quota-Used"] = str(admission.quota_used)
    return headers


@dataclass(frozen=True)
class Gate:
    """Watchmode's refusal when there is one, else the headers a success carries."""

    refused: JSONResponse | None
    headers: dict[str, str]


async def guard(api_key: str | None, x_api_key: str | None, authorization: str | None) -> Gate:
    key = api_key or x_api_key or (authorization or "").removeprefix("Bearer ").strip()
    if not ACCESS.valid("watchmode", key):
        return Gate(wm_error(401), {})
    admission = ACCESS.admit("watchmode", key)
    headers = rate_headers(admission)
    if admission.over_quota:
        return Gate(wm_error(402, headers=headers), headers)
    if not admission.admitted:
        headers["Retry-After"] = str(max(1, math.ceil(admission.retry_after)))
        return Gate(wm_error(429, headers=headers), headers)
    failure = await injected("watchmode")
    if failure:
        if failure.status == 429:
            headers.update(
                {
                    "X-RateLimit-Remaining": "0",
                    "Retry-After": str(1 if failure.retry_after is None else failure.retry_after),
                }
            )
        return Gate(wm_error(failure.status, headers=headers), headers)
    return Gate(None, headers)


def title_result(movie: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": movie["watchmode_id"],
        "name": movie["title"],
        "type": "movie",
        "year": int(movie["release_date"][:4]),
        "imdb_id": movie["imdb_id"],
        "tmdb_id": movie["id"],
        "tmdb_type": "movie",
    }


ApiKey = Annotated[str | None, Query(alias="apiKey")]
XApiKey = Annotated[str | None, Header(alias="X-API-Key")]
Auth = Annotated[str | None, Header()]


async def gate(
    api_key: ApiKey = None, x_api_key: XApiKey = None, authorization: Auth = None
) -> Gate:
    """Watchmode's answer to the key, its limits and injected failures."""
    return await guard(api_key, x_api_key, authorization)


Checked = Annotated[Gate, Depends(gate)]


@router.get("/v1/search/")
@router.get("/v1/search")
async def search(
    checked: Checked,
    search_field: str | None = None,
    search_value: str | None = None,
) -> Response:
    if checked.refused:
        return checked.refused
    if not search_field or search_value is None:
        return wm_error(400, "search_field and search_value are required.", checked.headers)
    value = search_value.strip()
    movies = list(STATE.movies.values())
    if search_field == "tmdb_movie_id":
        hits = [m for m in movies if value.isdigit() and m["id"] == int(value)]
    elif search_field == "imdb_id":
        hits = [m for m in movies if m["imdb_id"] == value]
    elif search_field == "name":
        hits = [m for m in movies if value.lower() in m["title"].lower()]
    elif search_field in ("tmdb_tv_id", "tmdb_person_id"):
        hits = []
    else:
        return wm_error(400, "Invalid search_field.", checked.headers)
    return JSONResponse(
        {"title_results": [title_result(m) for m in hits[:50]], "people_results": []},
        headers=checked.headers,
    )


@router.get("/v1/title/{title_id}/sources/")
@router.get("/v1/title/{title_id}/sources")
async def sources(
    checked: Checked,
    title_id: str,
    regions: str | None = None,
) -> Response:
    if checked.refused:
        return checked.refused
    movie = None
    if title_id.isdigit():
        movie = STATE.by_watchmode_id(int(title_id))
    elif title_id.startswith("movie-") and title_id[6:].isdigit():
        movie = STATE.movies.get(int(title_id[6:]))
    if movie is None:
        return wm_error(404, headers=checked.headers)
    wanted = {r.strip().upper() for r in (regions or "").split(",") if r.strip()}
    result = [
        {**offer, "ios_url": None, "android_url": None, "seasons": None, "episodes": None}
        for offer in movie["sources"]
        if not wanted or offer["region"] in wanted
    ]
    return JSONResponse(result, headers=checked.headers)


@router.get("/v1/sources/")
@router.get("/v1/sources")
async def all_sources(
    request: Request,
    checked: Checked,
    types: str | None = None,
    regions: str | None = None,
) -> Response:
    if checked.refused:
        return checked.refused
    wanted_types = {t for t in (types or "").split(",") if t}
    wanted_regions = {r.upper() for r in (regions or "").split(",") if r}
    result = []
    for source in bundled()["sources"]:
        if wanted_types and source["type"] not in wanted_types:
            continue
        if wanted_regions and not wanted_regions & set(source["regions"]):
            continue
        result.append(
            {
                "id": source["id"],
                "name": source["name"],
                "type": source["type"],
                "logo_100px": f"{str(request.base_url).rstrip('/')}/_logos/{source['id']}.svg",
                "ios_appstore_url": None,
                "android_playstore_url": None,
                "android_scheme": None,
                "ios_scheme": None,
                "regions": source["regions"],
            }
        )
    return JSONResponse(result, headers=checked.headers)


@router.get("/_logos/{source_id}.svg")
def logo(source_id: int) -> Response:
    """A generated stand-in logo: the service's initials on a colour derived from its id
    (the real logos are the services' trademarks and live on Watchmode's CDN)."""
    source = next((s for s in bundled()["sources"] if s["id"] == source_id), None)
    name = source["name"] if source else "?"
    initials = escape("".join(w[0] for w in name.replace("+", " +").split()[:2]).upper())
    hue = source_id * 67 % 360
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" viewBox="0 0 100 100">'
        f'<rect width="100" height="100" rx="22" fill="hsl({hue},55%,32%)"/>'
        f'<text x="50" y="62" font-family="sans-serif" font-size="34" font-weight="700" '
        f'fill="white" text-anchor="middle">{initials}</text></svg>'
    )
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "max-age=86400"})
