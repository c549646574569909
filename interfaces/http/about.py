"""`GET /about`: what a client shows before anyone signs in (demo data, attributions)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from interfaces.http.deps import ContainerDep

router = APIRouter(tags=["operations"])

TMDB_NOTICE = "This product uses the TMDB API but is not endorsed or certified by TMDB."
AVAILABILITY_NOTICE = "Streaming availability data by Watchmode."
DEMO_SEARCHES = ["Casablanca", "Alien", "Amélie", "Heat", "Spirited Away", "The Matrix"]
"""Real film titles the stand-in catalogue holds (with invented overviews)."""


class Attribution(BaseModel):
    tmdb: str = TMDB_NOTICE
    availability: str = AVAILABILITY_NOTICE


class AboutOut(BaseModel):
    name: str = "Kairos"
    version: str
    demo_data: bool = Field(
        description="true when the film catalogue, availability and suggestions are local"
        " stand-ins (no API keys set): the data is invented"
    )
    demo_searches: list[str] = Field(description="searches that find films in the demo data")
    attribution: Attribution


@router.get("/about", response_model=AboutOut)
def about(container: ContainerDep) -> AboutOut:
    demo = container.settings.demo_data
    return AboutOut(
        version="0.1.0",
        demo_data=demo,
        demo_searches=DEMO_SEARCHES if demo else [],
        attribution=Attribution(),
    )
