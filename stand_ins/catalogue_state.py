"""State shared by the TMDB, Watchmode and Gemini fakes: the bundled catalogue (generated
by data/generate_catalogue.py), availability overrides and failure injection.

State is per process, in memory and, when the app was given a state folder (`kairos up`
gives `<data dir>/fakes`), availability changes are also kept in `availability.json` there,
so a restart keeps them. `POST /_control/reset` restores the bundled data (and the access
rules the app was created with).
"""

from __future__ import annotations

import asyncio
import copy
import json
import threading
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from stand_ins.access import ACCESS
from stand_ins.persistence import load_json, save_json

CATALOGUE_FILE = Path(__file__).parent / "data" / "catalogue.json"
VENDORS = ("tmdb", "watchmode", "gemini")


@cache
def bundled() -> dict[str, Any]:
    return json.loads(CATALOGUE_FILE.read_text())  # type: ignore[no-any-return]


@dataclass
class Failure:
    remaining: int = 0
    status: int = 500
    delay: float = 0.0
    retry_after: int | None = None


@dataclass
class FakeState:
    movies: dict[int, dict[str, Any]] = field(default_factory=dict)
    failures: dict[str, Failure] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    changes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Offers changed through /_control/availability, by TMDB id (kept in `state_file`)."""
    state_file: Path | None = None

    def reset(self) -> None:
        with self.lock:
            self.movies = {m["id"]: copy.deepcopy(m) for m in bundled()["movies"]}
            self.failures = {v: Failure() for v in VENDORS}
            self.calls = dict.fromkeys(VENDORS, 0)
            self.changes = {}
            save_json(self.state_file, self.changes)

    def keep_in(self, state_dir: Path | None) -> None:
        """Loads the availability changes kept in `state_dir` and keeps later ones there."""
        with self.lock:
            self.state_file = state_dir / "availability.json" if state_dir else None
            self.changes = load_json(self.state_file) or {}
            for tmdb_id, offers in self.changes.items():
                if int(tmdb_id) in self.movies:
                    self.movies[int(tmdb_id)]["sources"] = copy.deepcopy(offers)

    def change_offers(self, movie: dict[str, Any], offers: list[dict[str, Any]]) -> None:
        """Call with the lock held."""
        movie["sources"] = offers
        self.changes[str(movie["id"])] = offers
        save_json(self.state_file, self.changes)

    def take_failure(self, vendor: str) -> Failure | None:
        """Counts the call; returns the injected failure when one is pending."""
        with self.lock:
            self.calls[vendor] = self.calls.get(vendor, 0) + 1
            failure = self.failures.get(vendor)
            if failure is None or failure.remaining <= 0:
                return None
            failure.remaining -= 1
            return Failure(1, failure.status, failure.delay, failure.retry_after)

    def by_watchmode_id(self, watchmode_id: int) -> dict[str, Any] | None:
        return next((m for m in self.movies.values() if m["watchmode_id"] == watchmode_id), None)


STATE = FakeState()
STATE.reset()


async def injected(vendor: str) -> Failure | None:
    """Applies an injected delay; returns the failure the route must answer with, if any."""
    failure = STATE.take_failure(vendor)
    if failure is None:
        return None
    if failure.delay:
        await asyncio.sleep(failure.delay)
    return failure if failure.status >= 400 else None


class FailureRequest(BaseModel):
    fail_next: int = Field(1, ge=0, le=1000)
    status: int = Field(500, ge=0, le=599, description="0 or <400 with delay: slow only")
    delay: float = Field(0.0, ge=0, le=60)
    retry_after: int | None = Field(None, ge=0, le=3600)


class OfferChange(BaseModel):
    tmdb_id: int
    region: str = Field(min_length=2, max_length=2)
    service: str = Field(description="source name, e.g. Netflix")
    type: str = Field("sub", pattern="^(sub|rent|buy|free|tve)$")
    available: bool = True


control = APIRouter(prefix="/_control")


@control.post("/reset")
def reset() -> dict[str, bool]:
    STATE.reset()
    ACCESS.reset()
    return {"ok": True}


@control.get("/calls")
def calls() -> dict[str, int]:
    return dict(STATE.calls)


@control.post("/availability")
def change_availability(body: OfferChange) -> dict[str, Any]:
    """Adds or removes one offer of a title, so a refresh sees an availability change."""
    source = next(
        (s for s in bundled()["sources"] if s["name"].lower() == body.service.lower()), None
    )
    with STATE.lock:
        movie = STATE.movies.get(body.tmdb_id)
        if movie is None or source is None:
            return {"ok": False, "detail": "unknown title or service"}
        region = body.region.upper()
        offers = [
            o
            for o in movie["sources"]
            if not (
                o["source_id"] == source["id"] and o["region"] == region and o["type"] == body.type
            )
        ]
        if body.available:
            offers.append(
                {
                    "source_id": source["id"],
                    "name": source["name"],
                    "type": body.type,
                    "region": region,
                    "web_url": f"https://watch.example/{source['id']}/{movie['id']}?r={region}",
                    "format": "HD",
                    "price": None,
                }
            )
        STATE.change_offers(movie, offers)
        return {"ok": True, "offers": len(offers)}


@control.post("/{vendor}")
def inject_failure(vendor: str, body: FailureRequest) -> dict[str, Any]:
    if vendor not in VENDORS:
        return {"ok": False, "detail": f"vendor must be one of {', '.join(VENDORS)}"}
    with STATE.lock:
        STATE.failures[vendor] = Failure(body.fail_next, body.status, body.delay, body.retry_after)
    return {"ok": True}
