"""GET /me/plan: which streaming services to pay for, month by month (docs/myvod.md)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from domain.myvod.subscriptions import MAX_MONTHS
from interfaces.http.deps import ContainerDep, PrincipalDep
from interfaces.http.errors import ERROR_RESPONSES

router = APIRouter(responses=ERROR_RESPONSES, tags=["myvod"])


class PlannedTitle(BaseModel):
    tmdb_id: int
    title: str | None
    year: int | None
    poster_url: str | None


class PlannedService(BaseModel):
    service: str = Field(description="slug, as in GET /services")
    price_cents: int = Field(description="a month; what dropping it saves")
    covers: list[PlannedTitle] = Field(description="the month's titles it streams")
    only_here: list[PlannedTitle] = Field(
        description="what dropping it would lose: titles no other service of the month covers"
    )


class PlannedMonth(BaseModel):
    month: int = Field(description="1 = this month")
    cost_cents: int
    titles: int = Field(description="titles newly covered this month")
    exact: bool = Field(description="false when the search stopped early (a very large case)")
    services: list[PlannedService]


class ServicePrice(BaseModel):
    service: str
    price_cents: int


class PlanOut(BaseModel):
    region: str
    currency: str = Field(description="of every price (setting MYVOD_PRICE_CURRENCY)")
    budget_cents: int
    wanted: int = Field(description="titles to watch on your list")
    subscribed: list[str] = Field(description="the services you said you have")
    months: list[PlannedMonth] = Field(
        description="titles covered in a month count as watched; the next month plans the rest"
    )
    unavailable: list[PlannedTitle] = Field(
        description="streams on no priced service in your region (or not checked yet)"
    )
    unaffordable: list[PlannedTitle] = Field(description="only on services dearer than the budget")
    later: list[PlannedTitle] = Field(description="coverable, but beyond the months planned")
    prices: list[ServicePrice] = Field(description="the monthly prices used (a setting)")


@router.get("/me/plan", response_model=PlanOut)
def plan_services(
    principal: PrincipalDep,
    container: ContainerDep,
    budget: Annotated[
        float, Query(ge=0, le=100_000, description="monthly budget in the price currency")
    ],
    months: Annotated[int, Query(ge=1, le=MAX_MONTHS, description="months to plan")] = 6,
) -> PlanOut:
    """The services to pay for, month by month: each month the set covering the most titles
    still to watch (streaming or free in your region) within the budget, the cheaper set on
    a tie, with what each covers and what dropping it would lose. 409 until a region is
    chosen. Writes nothing."""
    plan = container.myvod.plan_services(principal.account_id, round(budget * 100), months)
    return PlanOut(**plan)
