"""Serves the built web app (interfaces/web/dist) at `/`, with deep links.

Any GET whose first path segment is not one the API uses (`/auth`, `/me`, `/titles`,
`/campaigns`, `/s`, `/join`, `/docs`, `/openapi.json`, ...) answers with the app's
index.html, so a bookmarked `/watchlist` or `/title/550` loads the app, which then routes
in the browser. Unknown API paths keep their JSON 404. Hashed assets are cached for a year;
index.html never is, so a new build is picked up at once.
"""

from __future__ import annotations

import gzip
import os
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

DIST = Path(__file__).resolve().parents[1] / "web" / "dist"
ALWAYS_API = {"docs", "redoc", "openapi.json", "s", "join", "p", "_mailbox"}
"""First segments that are never the app, even before their routers exist."""

NOT_BUILT = """<!doctype html><html lang="en"><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Kairos</title>
<body style="font-family:system-ui;max-width:40rem;margin:3rem auto;padding:0 1rem">
<h1>Kairos</h1><p>The web app is not built on this machine (it needs Node.js 20.19 or
newer: <code>cd interfaces/web &amp;&amp; npm ci &amp;&amp; npm run build</code>, which
<code>kairos up</code> runs by itself when Node.js is there).</p>
<p>The API is up: <a href="/docs">its documentation</a>.</p></body></html>"""


BUILDING = """<!doctype html><html lang="en"><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="5"><title>Kairos: starting</title>
<body style="font-family:system-ui;max-width:40rem;margin:3rem auto;padding:0 1rem">
<h1>Kairos</h1><p role="status">The web app is being built (the first start installs its
packages: a minute or a few). This page reloads itself until it is ready.</p>
<p>The API is up already: <a href="/docs">its documentation</a>.</p></body></html>"""


def building_marker(dist: Path = DIST) -> Path:
    """Present (holding the builder's pid) while `kairos up` builds the bundle."""
    return dist.parent / ".building"


def _being_built(dist: Path) -> bool:
    try:
        pid = int(building_marker(dist).read_text().strip() or "0")
    except (OSError, ValueError):
        return False
    try:
        os.kill(pid, 0)  # a builder that died leaves its marker behind: not building then
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def api_segments(app: FastAPI) -> set[str]:
    """The first path segments of every API operation (from the schema, so included
    routers count too), plus the ones that are never the app."""
    segments = set(ALWAYS_API)
    for path in app.openapi().get("paths", {}):
        first = path.strip("/").split("/", 1)[0]
        if first and not first.startswith("{"):
            segments.add(first)
    return segments


COMPRESSIBLE = {
    ".js": "text/javascript",
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".json": "application/json",
}


@lru_cache(maxsize=256)
def _gzip(path: Path, mtime: float) -> bytes:
    return gzip.compress(path.read_bytes(), compresslevel=9, mtime=0)


def compressed(path: Path) -> bytes:
    """The file gzipped once per build (keyed by its modification time)."""
    return _gzip(path, path.stat().st_mtime)


def content_security_policy(image_origins: list[str]) -> str:
    """Scripts and styles from this origin only; images also over https (TMDB's posters) and
    from the configured catalogue's origin (the local stand-ins speak plain http)."""
    images = " ".join(["'self'", "data:", "https:", *image_origins])
    return (
        f"default-src 'self'; img-src {images}; style-src 'self' 'unsafe-inline';"
        " connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none';"
        " object-src 'none'"
    )


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme == "http" and parts.netloc else None


def install_web_app(app: FastAPI, dist: Path = DIST) -> None:
    """Answers the GETs no route takes (a 404 handler, so any route wins over the app)."""
    root = dist.resolve()
    settings = app.state.container.settings
    origins = [o for o in (_origin(settings.tmdb_base_url),) if o]
    csp = content_security_policy(origins)
    reserved: set[str] = set()

    async def serve(request: Request) -> Response:
        path = request.url.path.strip("/")
        first = path.split("/", 1)[0]
        if not reserved:
            reserved.update(api_segments(app))
        if first in reserved:
            return JSONResponse({"detail": "Not Found"}, status_code=404)
        index = root / "index.html"
        if not index.is_file():
            if _being_built(dist):
                return HTMLResponse(BUILDING, status_code=503, headers={"Retry-After": "5"})
            return HTMLResponse(NOT_BUILT, status_code=200 if not path else 404)
        if path:
            candidate = (root / path).resolve()
            if candidate.is_file() and candidate.is_relative_to(root):
                cache = (
                    "public, max-age=31536000, immutable"
                    if first == "assets"
                    else "public, max-age=3600"
                )
                gzipped = "gzip" in request.headers.get("accept-encoding", "")
                if gzipped and candidate.suffix in COMPRESSIBLE:
                    return Response(
                        compressed(candidate),
                        media_type=COMPRESSIBLE[candidate.suffix],
                        headers={
                            "Cache-Control": cache,
                            "Content-Encoding": "gzip",
                            "Vary": "Accept-Encoding",
                        },
                    )
                return FileResponse(candidate, headers={"Cache-Control": cache})
            if first == "assets":
                return JSONResponse({"detail": "Not Found"}, status_code=404)
        return FileResponse(
            index,
            media_type="text/html",
            headers={"Cache-Control": "no-cache", "Content-Security-Policy": csp},
        )

    async def not_found(request: Request, error: Exception) -> Response:
        # Only a GET that no route took (Starlette sets "endpoint" once a route matched) is
        # the app's; everything else keeps FastAPI's own answer, so routes added after this
        # one (tests' probes, other routers) still win.
        assert isinstance(error, StarletteHTTPException)
        if (
            error.status_code == 404
            and request.method in ("GET", "HEAD")
            and "endpoint" not in request.scope
        ):
            return await serve(request)
        return await http_exception_handler(request, error)

    app.add_exception_handler(StarletteHTTPException, not_found)
