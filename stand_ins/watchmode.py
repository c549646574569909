"""Local fake of Watchmode API v1 (a real HTTP server speaking the vendor's contract).

/v1/search/ (search_field name|imdb_id|tmdb_movie_id), /v1/title/{id}/sources/ (a bare
array; `regions` filter; ids also as `movie-{tmdb_id}`), /v1/sources/. Auth: `?apiKey=`,
`X-API-Key` or `Authorization: Bearer`. Errors: {success:false, statusCode, statusMessage};
402 over quota and 429 with Retry-After and X-RateLimit-* headers (via /_control/watchmode).
"""

from __future__ import annotations

from html import escape
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.responses import JSONResponse

from stand_ins.catalogue_state import STATE, bundled, injected

router = APIRouter()

MESSAGES = {
    401: "Your API key is invalid.",
    402: "Over plan quota on this API Key.",
    404: "Title not found.",
    429: "The rate limit was exceeded.",
}
RATE_HEADERS = {"X-RateLimit-Limit": "120", "X-Account-Quota": "999999"}


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


async def guard(
    api_key: str | None, x_api_key: str | None, authorization: str | None
) -> JSONResponse | None:
    bearer = (authorization or "").removeprefix("Bearer ").strip()
    if not (api_key or x_api_key or bearer):
        return wm_error(401)
    failure = await injected("watchmode")
    if failure:
        headers = dict(RATE_HEADERS)
        if failure.status == 429:
            headers.update(
                {
                    "X-RateLimit-Remaining": "0",
                    "Retry-After": str(1 if failure.retry_after is None else failure.retry_after),
                }
            )
        return wm_error(failure.status, headers=headers)
    return None


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


async def refusal(
    api_key: ApiKey = None, x_api_key: XApiKey = None, authorization: Auth = None
) -> JSONResponse | None:
    """Watchmode's answer when the key is missing or a failure is injected, else None."""
    return await guard(api_key, x_api_key, authorization)


Refusal = Annotated[JSONResponse | None, Depends(refusal)]


@router.get("/v1/search/")
async def search(
    refused: Refusal,
    search_field: str | None = None,
    search_value: str | None = None,
) -> Response:
    if refused:
        return refused
    if not search_field or search_value is None:
        return wm_error(400, "search_field and search_value are required.")
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
        return wm_error(400, "Invalid search_field.")
    return JSONResponse(
        {"title_results": [title_result(m) for m in hits[:50]], "people_results": []},
        headers=RATE_HEADERS,
    )


@router.get("/v1/title/{title_id}/sources/")
async def sources(
    refused: Refusal,
    title_id: str,
    regions: str | None = None,
) -> Response:
    if refused:
        return refused
    movie = None
    if title_id.isdigit():
        movie = STATE.by_watchmode_id(int(title_id))
    elif title_id.startswith("movie-") and title_id[6:].isdigit():
        movie = STATE.movies.get(int(title_id[6:]))
    if movie is None:
        return wm_error(404)
    wanted = {r.strip().upper() for r in (regions or "").split(",") if r.strip()}
    result = [
        {**offer, "ios_url": None, "android_url": None, "seasons": None, "episodes": None}
        for offer in movie["sources"]
        if not wanted or offer["region"] in wanted
    ]
    return JSONResponse(result, headers=RATE_HEADERS)


@router.get("/v1/sources/")
async def all_sources(
    request: Request,
    refused: Refusal,
    types: str | None = None,
    regions: str | None = None,
) -> Response:
    if refused:
        return refused
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
    return JSONResponse(result, headers=RATE_HEADERS)


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
