"""A campaign, its participants and its prompts as they stood at an instant, rebuilt by
folding the stored events recorded up to that instant (no read model is consulted)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from application.audit.redaction import IsErased, jsonable, object_state
from application.audit.stored import CampaignEvent
from domain.esm.campaign import Campaign
from domain.esm.enrollment import Enrollment
from domain.esm.prompt import Prompt
from domain.shared.errors import Conflict, NotFound


class AlteredLog(Conflict):
    pass


def fold(events: Sequence[CampaignEvent], as_of: datetime | None) -> dict[UUID, Any]:
    """Aggregates by id, each built from its events recorded at or before `as_of`."""
    aggregates: dict[UUID, Any] = {}
    for item in events:
        event = item.event
        if event is None:
            raise AlteredLog(
                f"the event at position {item.row.notification_id} no longer decodes: the log"
                " was altered; run verify"
            )
        if as_of is not None and event.timestamp > as_of:
            continue
        aggregates[event.originator_id] = event.mutate(aggregates.get(event.originator_id))
    return aggregates


def campaign_view(campaign: Campaign, is_erased: IsErased) -> dict[str, Any]:
    state = object_state(campaign, is_erased, skip=("settings",))
    return {**jsonable(campaign.settings), **state, "version": campaign.version}


def participant_view(enrollment: Enrollment, is_erased: IsErased) -> dict[str, Any]:
    state = object_state(enrollment, is_erased, skip=("planned_days", "prompt_ids"))
    state["email"] = state.pop("sealed_email", None)
    return {
        **state,
        "planned_days": sorted(enrollment.planned_days),
        "prompt_count": len(enrollment.prompt_ids),
        "version": enrollment.version,
    }


def prompt_view(prompt: Prompt, is_erased: IsErased) -> dict[str, Any]:
    state = object_state(prompt, is_erased, skip=("token_hashes", "lease_until"))
    state["participant"] = state.pop("enrollment_id")
    return {**state, "version": prompt.version}


def state_as_of(
    events: Sequence[CampaignEvent],
    campaign_id: UUID,
    as_of: datetime | None,
    is_erased: IsErased,
) -> dict[str, Any]:
    aggregates = fold(events, as_of)
    campaign = aggregates.get(campaign_id)
    if not isinstance(campaign, Campaign):
        when = f" at {as_of.isoformat()}" if as_of else ""
        raise NotFound(f"the campaign did not exist{when}")
    participants = [a for a in aggregates.values() if isinstance(a, Enrollment)]
    prompts = [a for a in aggregates.values() if isinstance(a, Prompt)]
    participants.sort(key=lambda e: (e.enrolled_at, str(e.id)))
    prompts.sort(key=lambda p: (p.scheduled_at, str(p.id)))
    last = max(
        (e.row.notification_id for e in events if as_of is None or e.event.timestamp <= as_of),
        default=0,
    )
    return {
        "as_of": as_of.isoformat() if as_of else None,
        "position": last,
        "campaign": campaign_view(campaign, is_erased),
        "participants": [participant_view(e, is_erased) for e in participants],
        "prompts": [prompt_view(p, is_erased) for p in prompts],
    }
