"""Data to publish: the long export (one row per prompt, missed prompts included with their
outcome and times, local times in the participant's zone), the codebook (JSON and CSV) and
the SPSS `.sav` with labels. SQL on the read models only, scoped to the owner; pseudonyms
only (an erased participant's prompts are left out with their answers)."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from application.esm import sav
from application.esm.codebook import LONG, LONG_FIELDS, Variable, codebook, variables
from application.esm.export_cells import csv_cell
from application.esm.queries import ESMQueries, campaign_questions
from application.shared.queries import ReadModels

LONG_SQL = """
SELECT p.id AS prompt_id, p.participant_id AS participant, p.questionnaire,
  r.questionnaire_version, p.day,
  p.sequence, COALESCE(p.timezone, pa.timezone) AS timezone, p.status, p.expiry_reason,
  p.cancel_reason, p.scheduled_at, p.sent_at, p.opened_at, r.answered_at,
  COALESCE(p.expired_at, p.cancelled_at) AS ended_at, p.latency_seconds, r.duration_seconds,
  p.reminders_sent, r.too_fast, r.straight_lined, r.long_gap, r.answers
FROM read.esm_prompts p
JOIN read.esm_participants pa ON pa.id = p.participant_id
LEFT JOIN read.esm_responses r ON r.prompt_id = p.id
WHERE p.campaign_id = %s AND NOT pa.erased
ORDER BY p.participant_id, p.scheduled_at, p.sequence
"""
LOCAL_OF = {
    "scheduled_local": "scheduled_at",
    "sent_local": "sent_at",
    "opened_local": "opened_at",
    "answered_local": "answered_at",
}


def outcome(row: dict[str, Any]) -> str:
    status = row["status"]
    if status == "answered":
        return "answered"
    if status == "expired":
        return f"expired_{row['expiry_reason'] or 'not_opened'}"
    if status == "cancelled":
        return "cancelled"
    return "pending"


def _local(moment: datetime | None, tz: ZoneInfo) -> datetime | None:
    return moment.astimezone(tz).replace(tzinfo=None) if moment is not None else None


def long_row(row: dict[str, Any], answer_vars: list[Variable]) -> dict[str, Any]:
    tz = ZoneInfo(row["timezone"])
    answered = row["answered_at"] is not None
    result = {name: row.get(name) for name in LONG_FIELDS}
    result.update({local: _local(row[utc], tz) for local, utc in LOCAL_OF.items()})
    result["outcome"] = outcome(row)
    result["outcome_reason"] = row["cancel_reason"] if row["status"] == "cancelled" else None
    for flag in ("too_fast", "straight_lined", "long_gap"):
        result[f"flag_{flag}"] = row[flag] if answered else None
    answers = row["answers"] or {}
    for variable in answer_vars:
        result[variable.name] = answers.get(variable.question or "")
    return result


class PublishingQueries:
    def __init__(self, read: ReadModels) -> None:
        self.read = read
        self.queries = ESMQueries(read)

    def long_rows(
        self, owner_id: UUID, campaign_id: UUID
    ) -> tuple[dict[str, Any], list[Variable], list[dict[str, Any]]]:
        """The campaign, its variables and one row per prompt (answer columns keyed by
        their export names)."""
        campaign = self.queries.campaign(owner_id, campaign_id)
        every = variables(campaign_questions(campaign))
        answer_vars = [v for v in every if v.question is not None and v.option is None]
        rows = [long_row(row, answer_vars) for row in self.read.fetch_all(LONG_SQL, (campaign_id,))]
        return campaign, every, rows

    def long_csv(self, owner_id: UUID, campaign_id: UUID) -> str:
        _, every, rows = self.long_rows(owner_id, campaign_id)
        columns = [v.name for v in every if LONG in v.datasets]
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({name: csv_cell(row.get(name)) for name in columns})
        return out.getvalue()

    def sav(self, owner_id: UUID, campaign_id: UUID) -> bytes:
        campaign, every, rows = self.long_rows(owner_id, campaign_id)
        questions = {q["id"]: q for q in campaign_questions(campaign)["questions"]}
        return sav.write(campaign["name"], every, rows, questions)

    def codebook(self, owner_id: UUID, campaign_id: UUID) -> dict[str, Any]:
        return codebook(self.queries.campaign(owner_id, campaign_id))

    def codebook_csv(self, owner_id: UUID, campaign_id: UUID) -> str:
        book = self.codebook(owner_id, campaign_id)
        out = io.StringIO()
        columns = ["name", "label", "type", "measure", "value_labels", "question", "datasets"]
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for variable in book["variables"]:
            labels = variable["value_labels"] or {}
            writer.writerow(
                {
                    **{k: csv_cell(variable[k]) for k in ("name", "label", "type", "measure")},
                    "value_labels": csv_cell("; ".join(f"{k}={v}" for k, v in labels.items())),
                    "question": csv_cell(variable["question"]),
                    "datasets": ";".join(variable["datasets"]),
                }
            )
        return out.getvalue()
