"""TMDB v3 adapter (MovieCatalogue port) over httpx.

Auth: a v4 read-access token (a JWT, "eyJ...") goes as Bearer, a v3 key as `api_key`.
Poster URLs are built from /3/configuration (secure_base_url + size + poster_path), fetched
once per process and cached for a day (a failed fetch is retried after a minute); paths are
what Kairos stores, URLs are built again when read.
"""

from __future__ import annotations

import re
import threading
import time
from typing import Any

from application.myvod.ports import SearchHit, TitleDetails, UpstreamRefused, UpstreamUnavailable
from infrastructure.adapters.myvod_http import VendorClient

POSTER_SIZE = "w342"
IMDB_ID = re.compile(r"tt\d{5,10}")
CONFIG_TTL = 86400.0
CONFIG_RETRY = 60.0
"""After a failed /3/configuration, posters go without URLs this long before the next try."""


def _year(release_date: str | None) -> int | None:
    value = (release_date or "")[:4]
    return int(value) if value.isdigit() else None


class TmdbCatalogue(VendorClient):
    vendor = "TMDB"
    default_per_second = 40.0

    def __init__(self, base_url: str, api_key: str, **options: Any) -> None:
        """`options`: timeout, client, pacer (VendorClient)."""
        super().__init__(base_url, api_key, **options)
        self._image_base: str | None = None
        self._image_base_at = 0.0
        self._lock = threading.Lock()

    def _get(self, path: str, **params: Any) -> Any | None:
        headers = {"Accept": "application/json"}
        if self.api_key.startswith("eyJ"):
            headers["Authorization"] = f"Bearer {self.api_key}"
        else:
            params["api_key"] = self.api_key
        clean = {k: v for k, v in params.items() if v is not None}
        return self._fetch(path, clean, headers)

    def image_base(self) -> str:
        with self._lock:
            age = time.monotonic() - self._image_base_at
            if self._image_base is not None and age < (
                CONFIG_TTL if self._image_base else CONFIG_RETRY
            ):
                return self._image_base
        try:
            config = self._get("/3/configuration") or {}
        except (UpstreamUnavailable, UpstreamRefused):
            config = {}
        images = config.get("images", {})
        base = images.get("secure_base_url") or images.get("base_url") or ""
        with self._lock:
            self._image_base, self._image_base_at = base, time.monotonic()
        return base

    def poster_url(self, poster_path: str | None) -> str | None:
        if not poster_path:
            return None
        base = self.image_base()
        return f"{base}{POSTER_SIZE}{poster_path}" if base else None

    def _hit(self, r: dict[str, Any]) -> SearchHit:
        return SearchHit(
            tmdb_id=int(r["id"]),
            title=r.get("title") or r.get("original_title") or "",
            year=_year(r.get("release_date")),
            poster_url=self.poster_url(r.get("poster_path")),
            poster_path=r.get("poster_path"),
        )

    def search(self, query: str, year: int | None = None) -> list[SearchHit]:
        body = self._get("/3/search/movie", query=query, include_adult="false", page=1, year=year)
        results = (body or {}).get("results", [])
        return [self._hit(r) for r in results if r.get("id")]

    def find_imdb(self, imdb_id: str) -> SearchHit | None:
        """TMDB's /3/find by IMDb id (films only)."""
        if not IMDB_ID.fullmatch(imdb_id):
            return None
        body = self._get(f"/3/find/{imdb_id}", external_source="imdb_id")
        for r in (body or {}).get("movie_results", []):
            if r.get("id"):
                return self._hit(r)
        return None

    def details(self, tmdb_id: int) -> TitleDetails | None:
        body = self._get(f"/3/movie/{tmdb_id}")
        if body is None:
            return None
        return TitleDetails(
            tmdb_id=int(body["id"]),
            title=body.get("title") or body.get("original_title") or "",
            year=_year(body.get("release_date")),
            poster_path=body.get("poster_path"),
            poster_url=self.poster_url(body.get("poster_path")),
            overview=body.get("overview") or "",
            genres=[g["name"] for g in body.get("genres", []) if g.get("name")],
            runtime=body.get("runtime"),
        )
