"""Auditor routes: a campaign's history, its state at an instant, and verification.

Allowed for the role `auditor` (and `admin`) on any campaign, and for the campaign's owner;
anyone else gets 404, as if the campaign did not exist.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from application.audit.service import AuditService
from application.identity.service import Principal
from domain.shared.errors import InvalidInput, NotFound
from interfaces.http.deps import ContainerDep, PrincipalDep
from interfaces.http.errors import ERROR_RESPONSES

router = APIRouter(tags=["audit"], responses=ERROR_RESPONSES)

OVERSEERS = ("auditor", "admin")


class HistoryEvent(BaseModel):
    position: int = Field(description="Notification id: the event's place in commit order")
    aggregate_id: UUID
    aggregate_type: str = Field(description="Campaign, Enrollment or Prompt")
    version: int
    type: str = Field(description="Event type, e.g. Launched")
    timestamp: datetime | None = Field(description="When recorded; null if it no longer decodes")
    data: dict[str, Any] = Field(
        description='Event fields; personal data shows as "[sealed]" or "[erased]"'
    )
    hash: str = Field(description="SHA-256 (hex) of the stored event, as chained")
    link: str | None = Field(None, description="The chain link (hex) covering this event")


class HistoryOut(BaseModel):
    campaign_id: UUID
    events: list[HistoryEvent]
    next_after: int | None = Field(
        None, description="More events follow: pass this as `after` to get them"
    )


class StateOut(BaseModel):
    as_of: datetime | None
    position: int = Field(description="The newest event position included")
    campaign: dict[str, Any]
    participants: list[dict[str, Any]]
    prompts: list[dict[str, Any]]


class DifferenceOut(BaseModel):
    kind: str = Field(
        description="altered_event, reordered_event, missing_event, unchained_event,"
        " broken_link, head_mismatch, anchor_mismatch, read_model_row_missing,"
        " read_model_row_unexpected, replay_failed"
    )
    detail: str
    application: str | None = None
    notification_id: int | None = None
    table: str | None = None
    projection: str | None = None
    key: dict[str, Any] | None = None


class VerifyOut(BaseModel):
    ok: bool
    events_checked: int
    differences: list[DifferenceOut]
    events_replayed: int = Field(description="Events replayed to re-derive the read models")
    rows_compared: int
    pending: int = Field(description="Events newer than the chain head (not yet chained)")
    skipped: list[str]


def authorised(container: Any, principal: Principal, campaign_id: UUID) -> AuditService:
    service = container.audit()
    owner = service.campaign_owner(campaign_id)
    if set(OVERSEERS) & set(principal.roles):
        return service
    if owner is None or owner != principal.account_id:
        raise NotFound("no such campaign")
    return service


@router.get("/campaigns/{campaign_id}/history", response_model=HistoryOut)
def campaign_history(
    campaign_id: UUID,
    container: ContainerDep,
    principal: PrincipalDep,
    after: int | None = Query(None, ge=0, description="Only events after this position"),
    limit: int | None = Query(None, ge=1, le=10_000, description="At most this many events"),
) -> HistoryOut:
    """Every event of the campaign, its enrollments and prompts, in commit order (all of
    them unless `limit` is given; page with `after`)."""
    service = authorised(container, principal, campaign_id)
    events = [HistoryEvent(**e) for e in service.history(campaign_id, after, limit)]
    more = limit is not None and len(events) == limit
    return HistoryOut(
        campaign_id=campaign_id,
        events=events,
        next_after=events[-1].position if more else None,
    )


@router.get("/campaigns/{campaign_id}/state", response_model=StateOut)
def campaign_state(
    campaign_id: UUID,
    container: ContainerDep,
    principal: PrincipalDep,
    as_of: datetime | None = Query(None, description="ISO 8601 instant with offset; default: now"),
) -> StateOut:
    """The campaign, its participants and prompts as they stood at `as_of`, replayed from
    events only (events recorded at or before that instant)."""
    if as_of is not None and as_of.tzinfo is None:
        raise InvalidInput("as_of needs a UTC offset, e.g. 2026-03-01T12:00:00+00:00")
    service = authorised(container, principal, campaign_id)
    state = service.state(campaign_id, as_of)
    code = state["campaign"].get("join_code")
    base = container.settings.public_url.rstrip("/")
    state["campaign"]["join_url"] = f"{base}/join/{code}" if code else None
    return StateOut(**state)


@router.get("/campaigns/{campaign_id}/verify", response_model=VerifyOut)
def campaign_verify(
    campaign_id: UUID, container: ContainerDep, principal: PrincipalDep
) -> VerifyOut:
    """Re-checks the campaign's events against the hash chain and re-derives its read-model
    rows from events; `ok` is false when anything differs."""
    service = authorised(container, principal, campaign_id)
    report = service.verify_campaign(campaign_id).as_dict()
    report.pop("heads", None)
    return VerifyOut(**report)
