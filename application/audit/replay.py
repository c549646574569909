"""A campaign, its participants and its prompts as they stood at an instant, rebuilt by
folding the stored events recorded up to that instant (no read model is consulted).

The views have the shape of the researcher API (`GET /campaigns/{id}`, `.../participants`,
`.../prompts`), so what the API showed at T can be compared with the replay at T. Facts the
aggregates do not keep (when a prompt was answered, why it was cancelled, ...) are taken from
the same events while folding.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from application.audit.redaction import ERASED, SEALED, IsErased, jsonable
from application.audit.stored import CampaignEvent
from application.esm.delivery import participant_delivery
from domain.esm.campaign import Campaign
from domain.esm.enrollment import Enrollment
from domain.esm.prompt import Prompt
from domain.shared.errors import Conflict, NotFound

PROMPT_STATUSES = ("scheduled", "sending", "sent", "answered", "expired", "cancelled")


class AlteredLog(Conflict):
    pass


def _facts(event: Any) -> dict[str, Any]:
    """What an event tells beyond the aggregate's own state."""
    kind = type(event).__name__
    at = getattr(event, "at", None)
    if kind == "Withdrawn":
        return {"withdrawn_at": at}
    if kind == "Rejoined":
        return {
            "withdrawn_at": None,
            "rejoined_at": at,
            "delivery_problem": None,
            "delivery_problem_at": None,
        }
    if kind == "Answered":
        return {"answered_at": at, "latency_seconds": event.latency_seconds}
    if kind == "Expired":
        return {"expired_at": at, "expiry_reason": event.reason}
    if kind == "Cancelled":
        return {"cancelled_at": at, "cancel_reason": event.reason}
    if kind == "SendingFailed" and getattr(event, "permanent", False):
        return {"cancelled_at": at, "cancel_reason": event.reason}
    if kind == "Sent":
        return {"reminder_due_at": event.reminder_due_at}
    if kind == "DeliveryRecorded":
        return {"delivery": event.reported_as, "delivery_at": event.occurred_at}
    return {}


def fold(
    events: Sequence[CampaignEvent], as_of: datetime | None
) -> tuple[dict[UUID, Any], dict[UUID, dict[str, Any]], int]:
    """Aggregates by id, each built from its events recorded at or before `as_of`; the
    extra facts by id; and the last position included."""
    aggregates: dict[UUID, Any] = {}
    facts: dict[UUID, dict[str, Any]] = {}
    last = 0
    for item in events:
        event = item.event
        if event is None:
            raise AlteredLog(
                f"the event at position {item.row.notification_id} no longer decodes: the log"
                " was altered; run verify"
            )
        if as_of is not None and event.timestamp > as_of:
            continue
        aggregate = event.mutate(aggregates.get(event.originator_id))
        aggregates[event.originator_id] = aggregate
        facts.setdefault(event.originator_id, {}).update(_facts(event))
        delivery = participant_delivery(event)
        if delivery is not None and isinstance(aggregate, Prompt):
            problem, problem_at = delivery
            facts.setdefault(aggregate.enrollment_id, {}).update(
                delivery_problem=problem, delivery_problem_at=problem_at
            )
        last = item.row.notification_id
    return aggregates, facts, last


def campaign_view(campaign: Campaign, counts: dict[str, int]) -> dict[str, Any]:
    s = campaign.settings
    return jsonable(
        {
            "id": campaign.id,
            "owner_id": campaign.owner_id,
            "status": campaign.status,
            "name": s["name"],
            "description": s["description"],
            "timezone": s["timezone"],
            "start_date": s["start_date"],
            "end_date": s["end_date"],
            "expiry_minutes": s["expiry_minutes"],
            "completion_minutes": s["completion_minutes"],
            "reminder_after_minutes": s["reminder_after_minutes"],
            "reminders": s.get("reminders", []),
            "completed_by": campaign.completed_by,
            "quality": s.get("quality"),
            "questionnaires": campaign.questionnaires,
            "questionnaire": s["questionnaire"],
            "questionnaire_version": campaign.questionnaire_version,
            "schedule": s["schedule"],
            "created_at": campaign.created_at,
            "launched_at": campaign.launched_at,
            "self_enrollment": getattr(campaign, "self_enrollment", None),
            "join_code": getattr(campaign, "join_code", None),
            "counts": counts,
            "version": campaign.version,
        }
    )


def participant_view(
    enrollment: Enrollment, facts: dict[str, Any], is_erased: IsErased
) -> dict[str, Any]:
    return jsonable(
        {
            "id": enrollment.id,
            "campaign_id": enrollment.campaign_id,
            "email": ERASED if is_erased(enrollment.subject_id) else SEALED,
            "timezone": enrollment.timezone,
            "window_start": enrollment.window_start,
            "window_end": enrollment.window_end,
            "status": enrollment.status,
            "enrolled_at": enrollment.enrolled_at,
            "withdrawn_at": facts.get("withdrawn_at"),
            "rejoined_at": facts.get("rejoined_at"),
            "deliverable": facts.get("delivery_problem") is None,
            "delivery_problem": facts.get("delivery_problem"),
            "delivery_problem_at": facts.get("delivery_problem_at"),
            "planned_through": max(enrollment.planned_days, default=None),
            "source": enrollment.source,
            "consent_version": enrollment.consent_version,
            "consented_at": enrollment.consented_at,
            "confirmed_at": enrollment.confirmed_at,
            "paused_until": enrollment.paused_until,
            "erased": enrollment.erased,
            "version": enrollment.version,
        }
    )


def prompt_view(prompt: Prompt, facts: dict[str, Any]) -> dict[str, Any]:
    return jsonable(
        {
            "id": prompt.id,
            "participant": prompt.enrollment_id,
            "questionnaire": getattr(prompt, "questionnaire", "main"),
            "day": prompt.day,
            "sequence": prompt.sequence,
            "scheduled_at": prompt.scheduled_at,
            "status": prompt.status,
            "attempts": prompt.attempts,
            "sent_at": prompt.sent_at,
            "deadline": prompt.deadline,
            "opened_at": prompt.opened_at,
            "answered_at": facts.get("answered_at"),
            "latency_seconds": facts.get("latency_seconds"),
            "expired_at": facts.get("expired_at"),
            "expiry_reason": facts.get("expiry_reason"),
            "cancelled_at": facts.get("cancelled_at"),
            "cancel_reason": facts.get("cancel_reason"),
            "reminded": prompt.reminded,
            "reminders_sent": prompt.reminders_claimed,
            "order_seed": getattr(prompt, "order_seed", None),
            "delivery": facts.get("delivery"),
            "answers": prompt.answers,
            "version": prompt.version,
        }
    )


def state_as_of(
    events: Sequence[CampaignEvent],
    campaign_id: UUID,
    as_of: datetime | None,
    is_erased: IsErased,
) -> dict[str, Any]:
    aggregates, facts, last = fold(events, as_of)
    campaign = aggregates.get(campaign_id)
    if not isinstance(campaign, Campaign):
        when = f" at {as_of.isoformat()}" if as_of else ""
        raise NotFound(f"the campaign did not exist{when}")
    participants = [a for a in aggregates.values() if isinstance(a, Enrollment)]
    prompts = [a for a in aggregates.values() if isinstance(a, Prompt)]
    participants.sort(key=lambda e: (e.enrolled_at, str(e.id)))
    prompts.sort(key=lambda p: (p.scheduled_at, str(p.id)))
    counts = {status: 0 for status in PROMPT_STATUSES}
    for prompt in prompts:
        counts[prompt.status] = counts.get(prompt.status, 0) + 1
    counts["participants"] = sum(1 for e in participants if e.status == "active")
    return {
        "as_of": as_of.isoformat() if as_of else None,
        "position": last,
        "campaign": campaign_view(campaign, counts),
        "participants": [participant_view(e, facts.get(e.id, {}), is_erased) for e in participants],
        "prompts": [prompt_view(p, facts.get(p.id, {})) for p in prompts],
    }
