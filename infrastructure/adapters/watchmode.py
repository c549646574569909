"""Watchmode v1 adapter (AvailabilitySource port) over httpx.

TMDB id -> Watchmode id through /v1/search/?search_field=tmdb_movie_id (remembered on the
Title, so refreshes cost one call), then /v1/title/{id}/sources/. The key goes in the
X-API-Key header. Source types map to ours: sub -> stream, free, rent, buy, tve. Service
names become slugs: lower case, "+" -> "plus", other punctuation and spaces dropped
("Disney+" -> "disneyplus", "HBO Max" -> "hbomax").
"""

from __future__ import annotations

import re
import time
from typing import Any

from application.myvod.ports import Availability, StreamingService
from infrastructure.adapters.myvod_http import VendorClient

TYPES = {"sub": "stream", "free": "free", "rent": "rent", "buy": "buy", "tve": "tve"}
SERVICES_TTL = 86400.0


def service_slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower().replace("+", "plus"))


class WatchmodeAvailability(VendorClient):
    vendor = "Watchmode"
    default_per_second = 120.0 / 60.0

    def __init__(self, base_url: str, api_key: str, **options: Any) -> None:
        """`options`: timeout, client, pacer (VendorClient)."""
        super().__init__(base_url, api_key, **options)
        self._services: tuple[float, list[StreamingService]] | None = None

    def _get(self, path: str, **params: Any) -> Any | None:
        return self._fetch(path, params, {"X-API-Key": self.api_key, "Accept": "application/json"})

    def watchmode_id(self, tmdb_id: int) -> int | None:
        body = self._get("/v1/search/", search_field="tmdb_movie_id", search_value=str(tmdb_id))
        results = (body or {}).get("title_results") or []
        return int(results[0]["id"]) if results else None

    def availability(self, tmdb_id: int, watchmode_id: int | None) -> Availability:
        if watchmode_id is None:
            watchmode_id = self.watchmode_id(tmdb_id)
        if watchmode_id is None:
            return Availability(None, [])
        body = self._get(f"/v1/title/{watchmode_id}/sources/")
        offers = []
        for source in body or []:
            kind = TYPES.get(str(source.get("type")))
            if not kind or not source.get("region") or not source.get("name"):
                continue
            offers.append(
                {
                    "region": str(source["region"]).upper(),
                    "service": service_slug(str(source["name"])),
                    "type": kind,
                    "url": source.get("web_url"),
                }
            )
        return Availability(watchmode_id, offers)

    def services(self, region: str | None) -> list[StreamingService]:
        """Watchmode's /v1/sources/, fetched once a day per process."""
        cached = self._services
        if cached is None or time.monotonic() - cached[0] > SERVICES_TTL:
            body = self._get("/v1/sources/") or []
            listing = [
                StreamingService(
                    service=service_slug(str(s["name"])),
                    name=str(s["name"]),
                    type=TYPES.get(str(s.get("type")), str(s.get("type"))),
                    regions=[str(r).upper() for r in s.get("regions") or []],
                    logo_url=s.get("logo_100px") or None,
                )
                for s in body
                if s.get("name")
            ]
            cached = self._services = (time.monotonic(), listing)
        wanted = (region or "").upper()
        return [s for s in cached[1] if not wanted or wanted in s.regions]
