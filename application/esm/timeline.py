"""The prompt-journey timeline (`read.esm_timeline`): one row per thing that happened to a
participant or one of their prompts, keyed by the event's position, so a rebuild gives the
same rows. The researcher console draws journeys (scheduled -> sent -> delivered -> opened ->
answered | expired | cancelled, with reasons) and the delivery problems from it.

Prompt events after `Scheduled` do not name the participant; the `esm` projection, which
writes this table in the same pass as the others, finds them from the prompt's `scheduled`
row."""

from __future__ import annotations

from typing import Any

from application.shared.ports import Cursor
from application.shared.projection import Position
from domain.esm.delivery import PROBLEMS
from domain.esm.enrollment import Enrollment
from domain.esm.prompt import Prompt

ENROLLMENT_KINDS: dict[type, str] = {
    Enrollment.Enrolled: "enrolled",
    Enrollment.JoinRequested: "join_requested",
    Enrollment.Consented: "consented",
    Enrollment.ConfirmationEmailed: "confirmation_emailed",
    Enrollment.Confirmed: "confirmed",
    Enrollment.Paused: "paused",
    Enrollment.PauseEnded: "resumed",
    Enrollment.PreferencesChanged: "preferences_changed",
    Enrollment.Withdrawn: "withdrawn",
    Enrollment.DataErased: "erased",
}
PROMPT_KINDS: dict[type, str] = {
    Prompt.Sent: "sent",
    Prompt.SendingFailed: "send_failed",
    Prompt.ReminderSent: "reminded",
    Prompt.Opened: "opened",
    Prompt.Answered: "answered",
    Prompt.Expired: "expired",
    Prompt.Cancelled: "cancelled",
    Prompt.DeliveryRecorded: "delivery",
}


def _enrollment_detail(event: Any) -> str | None:
    if isinstance(event, Enrollment.Consented):
        return f"consent version {event.consent_version}"
    if isinstance(event, Enrollment.Paused):
        return f"until {event.until.isoformat()}"
    if isinstance(event, Enrollment.Enrolled | Enrollment.JoinRequested):
        window = f" {event.window_start}-{event.window_end}" if event.window_start else ""
        return f"{event.timezone}{window}"
    if isinstance(event, Enrollment.PreferencesChanged):
        window = f" {event.window_start}-{event.window_end}" if event.window_start else ""
        return f"{event.timezone}{window}; re-planned from {event.replan_from}"
    return None


def _prompt_kind_detail(event: Any) -> tuple[str, str | None]:
    kind = PROMPT_KINDS[type(event)]
    if isinstance(event, Prompt.DeliveryRecorded):
        problem = event.outcome in PROBLEMS
        return ("delivery_problem" if problem else "delivery"), event.reported_as
    if isinstance(event, Prompt.Answered):
        return kind, f"{round(event.latency_seconds)} s after sending"
    if isinstance(event, Prompt.Expired | Prompt.Cancelled | Prompt.SendingFailed):
        return kind, event.reason
    return kind, None


HANDLES = (*ENROLLMENT_KINDS, Prompt.Scheduled, *PROMPT_KINDS)


class Timeline:
    """Written by the `esm` projection in the same pass and transaction as its other
    tables (one read of the log, and journeys always agree with `read.esm_prompts`)."""

    def apply(self, event: Any, cursor: Cursor, position: Position) -> None:
        if type(event) not in HANDLES:
            return
        if isinstance(event, Prompt.Scheduled):
            self._insert(
                cursor,
                position,
                event.campaign_id,
                event.enrollment_id,
                event.originator_id,
                event.scheduled_at,
                "scheduled",
                None,
            )
            return
        if type(event) in ENROLLMENT_KINDS:
            self._insert(
                cursor,
                position,
                event.campaign_id,
                event.originator_id,
                None,
                event.at,
                ENROLLMENT_KINDS[type(event)],
                _enrollment_detail(event),
            )
            return
        kind, detail = _prompt_kind_detail(event)
        at = event.occurred_at if isinstance(event, Prompt.DeliveryRecorded) else event.at
        cursor.execute(
            "INSERT INTO read.esm_timeline (position, campaign_id, participant_id, prompt_id,"
            " at, kind, detail) SELECT %s, campaign_id, participant_id, prompt_id, %s, %s, %s"
            " FROM read.esm_timeline WHERE prompt_id = %s AND kind = 'scheduled'"
            " ORDER BY position LIMIT 1 ON CONFLICT (position) DO NOTHING",
            (position.notification_id, at, kind, detail, event.originator_id),
        )

    @staticmethod
    def _insert(cursor: Cursor, position: Position, *values: Any) -> None:
        cursor.execute(
            "INSERT INTO read.esm_timeline (position, campaign_id, participant_id, prompt_id,"
            " at, kind, detail) VALUES (%s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (position) DO NOTHING",
            (position.notification_id, *values),
        )
