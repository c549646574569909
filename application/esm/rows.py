"""The rows of the `esm` projection (application/esm/projections.py) that take more than a
line to write: a campaign created or edited, a response. Called inside the projector's
transaction, with the event's own times."""

from __future__ import annotations

import json
from typing import Any

from application.esm.quality import response_quality
from application.shared.ports import Cursor
from domain.esm.campaign import Campaign
from domain.esm.prompt import Prompt
from domain.esm.questionnaires import MAIN

JSON_COLUMNS = ("questionnaire", "schedule", "reminders", "quality", "questionnaires")


def insert_campaign(cursor: Cursor, event: Campaign.Created) -> None:
    """Campaign.Created: a draft."""
    s = event.settings
    cursor.execute(
        "INSERT INTO read.esm_campaigns (id, owner_id, name, description, status, timezone,"
        " start_date, end_date, expiry_minutes, completion_minutes, reminder_after_minutes,"
        " reminders, quality, questionnaire, questionnaire_version, schedule, created_at,"
        " updated_at, questionnaires)"
        " VALUES (%s, %s, %s, %s, 'draft', %s, %s, %s, %s, %s, %s, %s, %s, %s, 1, %s, %s, %s,"
        " %s)"
        " ON CONFLICT (id) DO NOTHING",
        (
            event.originator_id,
            event.owner_id,
            s["name"],
            s["description"],
            s["timezone"],
            s["start_date"],
            s["end_date"],
            s["expiry_minutes"],
            s["completion_minutes"],
            s["reminder_after_minutes"],
            json.dumps(s["reminders"]),
            json.dumps(s["quality"]),
            json.dumps(s["questionnaire"]),
            json.dumps(s["schedule"]),
            event.at,
            event.at,
            json.dumps(s.get("questionnaires") or legacy_questionnaires(s)),
        ),
    )


def legacy_questionnaires(settings: dict[str, Any]) -> list[dict[str, Any]]:
    """A campaign created before there could be several questionnaires has one, `main`."""
    return [
        {"id": MAIN, "name": "Questionnaire", **settings["questionnaire"],
         "schedule": settings["schedule"]}
    ]  # fmt: skip


def update_campaign(cursor: Cursor, event: Campaign.Updated) -> None:
    """Campaign.Updated: the changed settings, and the questionnaire's version."""
    columns = []
    values: list[Any] = []
    for key, value in event.changes.items():
        columns.append(f"{key} = %s")
        values.append(json.dumps(value) if key in JSON_COLUMNS else value)
    columns += ["questionnaire_version = %s", "updated_at = %s"]
    values += [event.questionnaire_version, event.at, event.originator_id]
    # Keys come from the aggregate's fixed EDITABLE list, never from request input.
    cursor.execute(
        f"UPDATE read.esm_campaigns SET {', '.join(columns)} WHERE id = %s",
        values,
    )


def insert_response(cursor: Cursor, event: Prompt.Answered) -> None:
    """Prompt.Answered: the answers, with their quality flags."""
    flags = response_quality(cursor, event)
    cursor.execute(
        "INSERT INTO read.esm_responses (prompt_id, campaign_id, participant_id,"
        " questionnaire_version, answered_at, latency_seconds, answers, duration_seconds,"
        " too_fast, straight_lined, long_gap, questionnaire)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s,"
        " COALESCE((SELECT questionnaire FROM read.esm_prompts WHERE id = %s), 'main'))"
        " ON CONFLICT (prompt_id) DO NOTHING",
        (
            event.originator_id,
            event.campaign_id,
            event.enrollment_id,
            event.questionnaire_version,
            event.at,
            event.latency_seconds,
            json.dumps(event.answers),
            flags.duration_seconds,
            flags.too_fast,
            flags.straight_lined,
            flags.long_gap,
            event.originator_id,
        ),
    )
