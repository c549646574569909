"""ESMpress read models (schema `read`, pseudonyms only: a participant is their enrollment
id; no email, no token). Times come from the events' own `at` fields, so a rebuild gives the
same rows."""

from __future__ import annotations

import json
from functools import singledispatchmethod
from typing import Any, ClassVar

from application.esm import rows, timeline
from application.esm.delivery import participant_delivery
from application.shared.ports import Cursor
from application.shared.projection import Position, Projection
from domain.esm.campaign import Campaign
from domain.esm.enrollment import Enrollment
from domain.esm.prompt import Prompt


class ESMReadModel(Projection):
    name = "esm"
    applications = ("esm",)
    version = 2
    """2: participants' delivery_problem and rejoined_at, derived from past events too.
    (ESMViews below carries the projection's version.)"""
    tables: ClassVar[tuple[str, ...]] = (
        "read.esm_campaigns",
        "read.esm_participants",
        "read.esm_prompts",
        "read.esm_responses",
    )

    @singledispatchmethod
    def apply(self, event: Any, cursor: Cursor, position: Position) -> None:
        pass

    # -- campaigns ---------------------------------------------------------------------
    @apply.register
    def _(self, event: Campaign.Created, cursor: Cursor, position: Position) -> None:
        rows.insert_campaign(cursor, event)

    @apply.register
    def _(self, event: Campaign.Updated, cursor: Cursor, position: Position) -> None:
        rows.update_campaign(cursor, event)

    def _status(self, cursor: Cursor, event: Any, status: str, launched: bool = False) -> None:
        cursor.execute(
            "UPDATE read.esm_campaigns SET status = %s, updated_at = %s,"
            " launched_at = CASE WHEN %s THEN %s ELSE launched_at END WHERE id = %s",
            (status, event.at, launched, event.at, event.originator_id),
        )

    def _campaign(self, cursor: Cursor, event: Any, assignments: str, *values: Any) -> None:
        cursor.execute(
            f"UPDATE read.esm_campaigns SET {assignments} WHERE id = %s",
            (*values, event.originator_id),
        )

    @apply.register
    def _(self, event: Campaign.Launched, cursor: Cursor, position: Position) -> None:
        self._status(cursor, event, "active", launched=True)

    @apply.register
    def _(self, event: Campaign.Paused, cursor: Cursor, position: Position) -> None:
        self._status(cursor, event, "paused")

    @apply.register
    def _(self, event: Campaign.Resumed, cursor: Cursor, position: Position) -> None:
        self._status(cursor, event, "active")

    @apply.register
    def _(self, event: Campaign.Completed, cursor: Cursor, position: Position) -> None:
        self._status(cursor, event, "completed")
        self._campaign(cursor, event, "completed_by = %s", event.by)

    @apply.register
    def _(self, event: Campaign.Archived, cursor: Cursor, position: Position) -> None:
        self._status(cursor, event, "archived")

    @apply.register
    def _(self, event: Campaign.SelfEnrollmentChanged, cursor: Cursor, position: Position) -> None:
        cursor.execute(
            "UPDATE read.esm_campaigns SET self_enrollment = %s, join_code = %s, updated_at = %s"
            " WHERE id = %s",
            (json.dumps(event.settings), event.join_code, event.at, event.originator_id),
        )

    # -- participants ------------------------------------------------------------------
    @apply.register
    def _(self, event: Enrollment.Enrolled, cursor: Cursor, position: Position) -> None:
        self._enrolled(cursor, event, "active", "researcher")

    @apply.register
    def _(self, event: Enrollment.JoinRequested, cursor: Cursor, position: Position) -> None:
        self._enrolled(cursor, event, "pending", "self")

    def _enrolled(self, cursor: Cursor, event: Any, status: str, source: str) -> None:
        cursor.execute(
            "INSERT INTO read.esm_participants (id, campaign_id, timezone, window_start,"
            " window_end, status, enrolled_at, source) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (id) DO NOTHING",
            (
                event.originator_id,
                event.campaign_id,
                event.timezone,
                event.window_start,
                event.window_end,
                status,
                event.at,
                source,
            ),
        )

    def _participant(self, cursor: Cursor, event: Any, assignments: str, *values: Any) -> None:
        cursor.execute(
            f"UPDATE read.esm_participants SET {assignments} WHERE id = %s",
            (*values, event.originator_id),
        )

    @apply.register
    def _(self, event: Enrollment.Consented, cursor: Cursor, position: Position) -> None:
        self._participant(
            cursor,
            event,
            "consent_version = %s, consented_at = %s,"
            " status = CASE WHEN status = 'withdrawn' THEN 'pending' ELSE status END",
            event.consent_version,
            event.at,
        )

    @apply.register
    def _(self, event: Enrollment.Confirmed, cursor: Cursor, position: Position) -> None:
        self._participant(cursor, event, "status = 'active', confirmed_at = %s", event.at)

    @apply.register
    def _(self, event: Enrollment.Paused, cursor: Cursor, position: Position) -> None:
        self._participant(cursor, event, "paused_until = %s", event.until)

    @apply.register
    def _(self, event: Enrollment.PauseEnded, cursor: Cursor, position: Position) -> None:
        self._participant(
            cursor,
            event,
            "paused_until = NULL, planned_through = CASE WHEN planned_through >= %s::date"
            " THEN %s::date - 1 ELSE planned_through END",
            event.replan_from,
            event.replan_from,
        )

    @apply.register
    def _(self, event: Enrollment.PreferencesChanged, cursor: Cursor, position: Position) -> None:
        self._participant(
            cursor,
            event,
            "timezone = %s, window_start = %s, window_end = %s,"
            " planned_through = CASE WHEN planned_through >= %s::date"
            " THEN %s::date - 1 ELSE planned_through END",
            event.timezone,
            event.window_start,
            event.window_end,
            event.replan_from,
            event.replan_from,
        )

    @apply.register
    def _(self, event: Enrollment.DataErased, cursor: Cursor, position: Position) -> None:
        self._participant(cursor, event, "erased = true")
        cursor.execute(
            "DELETE FROM read.esm_responses WHERE participant_id = %s", (event.originator_id,)
        )

    @apply.register
    def _(self, event: Enrollment.DayPlanned, cursor: Cursor, position: Position) -> None:
        cursor.execute(
            "UPDATE read.esm_participants SET planned_through = GREATEST(planned_through, %s)"
            " WHERE id = %s",
            (event.day, event.originator_id),
        )

    @apply.register
    def _(self, event: Enrollment.Withdrawn, cursor: Cursor, position: Position) -> None:
        cursor.execute(
            "UPDATE read.esm_participants SET status = 'withdrawn', withdrawn_at = %s"
            " WHERE id = %s",
            (event.at, event.originator_id),
        )

    @apply.register
    def _(self, event: Enrollment.Rejoined, cursor: Cursor, position: Position) -> None:
        cursor.execute(
            "UPDATE read.esm_participants SET status = 'active', withdrawn_at = NULL,"
            " rejoined_at = %s, timezone = %s, window_start = %s, window_end = %s,"
            " planned_through = %s, delivery_problem = NULL, delivery_problem_at = NULL"
            " WHERE id = %s",
            (
                event.at,
                event.timezone,
                event.window_start,
                event.window_end,
                event.planned_through,
                event.originator_id,
            ),
        )

    def _delivery_problem(self, cursor: Cursor, event: Any) -> None:
        """Flags (or clears) the participant whose prompt this is, if the event says so."""
        found = participant_delivery(event)
        if found is None:
            return
        cursor.execute(
            "UPDATE read.esm_participants SET delivery_problem = %s, delivery_problem_at = %s"
            " WHERE id = (SELECT participant_id FROM read.esm_prompts WHERE id = %s)",
            (*found, event.originator_id),
        )

    # -- prompts -----------------------------------------------------------------------
    @apply.register
    def _(self, event: Prompt.Scheduled, cursor: Cursor, position: Position) -> None:
        cursor.execute(
            "INSERT INTO read.esm_prompts (id, campaign_id, participant_id, day, sequence,"
            " scheduled_at, status, timezone, questionnaire)"
            " VALUES (%s, %s, %s, %s, %s, %s, 'scheduled',"
            " (SELECT timezone FROM read.esm_participants WHERE id = %s), %s)"
            " ON CONFLICT (id) DO NOTHING",
            (
                event.originator_id,
                event.campaign_id,
                event.enrollment_id,
                event.day,
                event.sequence,
                event.scheduled_at,
                event.enrollment_id,
                event.questionnaire,
            ),
        )

    def _prompt(self, cursor: Cursor, event: Any, assignments: str, *values: Any) -> None:
        cursor.execute(
            f"UPDATE read.esm_prompts SET {assignments} WHERE id = %s",
            (*values, event.originator_id),
        )

    @apply.register
    def _(self, event: Prompt.SendingClaimed, cursor: Cursor, position: Position) -> None:
        self._prompt(
            cursor,
            event,
            "status = 'sending', attempts = %s, lease_until = %s, deadline = %s",
            event.attempt,
            event.lease_until,
            event.deadline,
        )

    @apply.register
    def _(self, event: Prompt.SendingFailed, cursor: Cursor, position: Position) -> None:
        if event.permanent:
            self._prompt(
                cursor,
                event,
                "status = 'cancelled', cancelled_at = %s, cancel_reason = %s, lease_until = NULL",
                event.at,
                event.reason,
            )
            self._delivery_problem(cursor, event)
        else:
            self._prompt(cursor, event, "status = 'scheduled', lease_until = NULL")

    @apply.register
    def _(self, event: Prompt.Sent, cursor: Cursor, position: Position) -> None:
        self._prompt(
            cursor,
            event,
            "status = CASE WHEN status = 'sending' THEN 'sent' ELSE status END, sent_at = %s,"
            " deadline = CASE WHEN opened_at IS NULL THEN %s ELSE deadline END,"
            " reminder_due_at = %s, lease_until = NULL",
            event.at,
            event.deadline,
            event.reminder_due_at,
        )

    @apply.register
    def _(self, event: Prompt.ReminderClaimed, cursor: Cursor, position: Position) -> None:
        self._prompt(
            cursor,
            event,
            "reminded = true, reminders_sent = %s, reminder_due_at = %s",
            event.number,
            event.next_due_at,
        )

    @apply.register
    def _(self, event: Prompt.Opened, cursor: Cursor, position: Position) -> None:
        self._prompt(cursor, event, "opened_at = %s, deadline = %s", event.at, event.deadline)

    @apply.register
    def _(self, event: Prompt.Answered, cursor: Cursor, position: Position) -> None:
        self._prompt(
            cursor,
            event,
            "status = 'answered', answered_at = %s, latency_seconds = %s",
            event.at,
            event.latency_seconds,
        )
        rows.insert_response(cursor, event)

    @apply.register
    def _(self, event: Prompt.Expired, cursor: Cursor, position: Position) -> None:
        self._prompt(
            cursor,
            event,
            "status = 'expired', expired_at = %s, expiry_reason = %s",
            event.at,
            event.reason,
        )

    @apply.register
    def _(self, event: Prompt.Cancelled, cursor: Cursor, position: Position) -> None:
        self._prompt(
            cursor,
            event,
            "status = 'cancelled', cancelled_at = %s, cancel_reason = %s",
            event.at,
            event.reason,
        )

    @apply.register
    def _(self, event: Prompt.DeliveryRecorded, cursor: Cursor, position: Position) -> None:
        self._prompt(
            cursor,
            event,
            "delivery = %s, delivery_at = %s",
            event.reported_as,
            event.occurred_at,
        )
        self._delivery_problem(cursor, event)


class ESMViews(ESMReadModel):
    """The `esm` projection: the read models above plus the prompt-journey timeline."""

    handles = tuple(dict.fromkeys((*ESMReadModel.handled_events(), *timeline.HANDLES)))
    tables = (*ESMReadModel.tables, "read.esm_timeline")
    version = 6
    """3: the timeline, and participants' self-enrollment, consent, pause and erasure.
    4: campaigns' reminders and completed_by, prompts' reminders_sent (and the due time of
    the next reminder). 5: responses' quality flags, prompts' time zone. 6: several
    questionnaires: campaigns' questionnaires, prompts' and responses' questionnaire."""

    def __init__(self) -> None:
        self.timeline = timeline.Timeline()

    def apply(self, event: Any, cursor: Cursor, position: Position) -> None:  # type: ignore[override]
        super().apply(event, cursor, position)
        self.timeline.apply(event, cursor, position)


PROJECTIONS: list[type[Projection]] = [ESMViews]
