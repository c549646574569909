"""ESMpress queries: SQL on the read models only (never replaying aggregates). Every query is
scoped to the researcher who owns the campaign; someone else's campaign is simply not found."""

from __future__ import annotations

import csv
import io
from typing import Any
from uuid import UUID

from application.esm.export_cells import answer_columns, csv_cell
from application.shared.queries import ReadModels
from domain.esm.questionnaires import all_questions
from domain.shared.errors import InvalidInput, NotFound


def campaign_questions(campaign: dict[str, Any]) -> dict[str, Any]:
    """Every question of a campaign row once (in the order the questionnaires first ask
    them): the columns of its exports."""
    questionnaires = campaign.get("questionnaires") or [campaign["questionnaire"]]
    return {"questions": all_questions(questionnaires)}


PROMPT_STATUSES = ("scheduled", "sending", "sent", "answered", "expired", "cancelled")

CAMPAIGN_SQL = """
SELECT c.*,
  (SELECT count(*) FROM read.esm_participants p
    WHERE p.campaign_id = c.id AND p.status = 'active') AS participants,
  COALESCE((SELECT jsonb_object_agg(status, n) FROM (
     SELECT status, count(*) AS n FROM read.esm_prompts WHERE campaign_id = c.id
     GROUP BY status) counted), '{}'::jsonb) AS prompt_counts
FROM read.esm_campaigns c
"""

COMPLIANCE_COLUMNS = """
  count(pr.id) FILTER (WHERE pr.status <> 'cancelled') AS scheduled,
  count(pr.id) FILTER (WHERE pr.sent_at IS NOT NULL
                       OR pr.status IN ('sent', 'answered', 'expired')) AS sent,
  count(pr.id) FILTER (WHERE pr.status = 'answered') AS answered,
  count(pr.id) FILTER (WHERE pr.status = 'expired') AS expired,
  count(pr.id) FILTER (WHERE pr.status = 'expired'
                       AND pr.expiry_reason = 'not_opened') AS expired_not_opened,
  count(pr.id) FILTER (WHERE pr.status = 'expired'
                       AND pr.expiry_reason = 'not_finished') AS expired_not_finished,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY pr.latency_seconds)
    FILTER (WHERE pr.status = 'answered') AS median_latency_seconds
"""

RESPONSE_FIELDS = (
    "prompt_id",
    "participant",
    "questionnaire",
    "questionnaire_version",
    "scheduled_at",
    "sent_at",
    "answered_at",
    "latency_seconds",
    "duration_seconds",
    "flag_too_fast",
    "flag_straight_lined",
    "flag_long_gap",
)
"""The wide export's own columns (application/esm/codebook.py labels them)."""


def _counts(row: dict[str, Any]) -> dict[str, int]:
    raw = row.pop("prompt_counts") or {}
    counts = {status: int(raw.get(status, 0)) for status in PROMPT_STATUSES}
    counts["participants"] = int(row.pop("participants"))
    return counts


def _rates(row: dict[str, Any]) -> dict[str, Any]:
    sent = int(row["sent"])
    median = row["median_latency_seconds"]
    return {
        "scheduled": int(row["scheduled"]),
        "sent": sent,
        "answered": int(row["answered"]),
        "expired": int(row["expired"]),
        "expired_not_opened": int(row["expired_not_opened"]),
        "expired_not_finished": int(row["expired_not_finished"]),
        "response_rate": round(int(row["answered"]) / sent, 4) if sent else None,
        "median_latency_seconds": round(float(median), 3) if median is not None else None,
    }


class ESMQueries:
    def __init__(self, read: ReadModels) -> None:
        self.read = read

    def campaigns(self, owner_id: UUID) -> list[dict[str, Any]]:
        rows = self.read.fetch_all(
            CAMPAIGN_SQL + " WHERE c.owner_id = %s ORDER BY c.created_at DESC", (owner_id,)
        )
        for row in rows:
            row["counts"] = _counts(row)
        return rows

    def campaign(self, owner_id: UUID | None, campaign_id: UUID) -> dict[str, Any]:
        row = self.read.fetch_one(CAMPAIGN_SQL + " WHERE c.id = %s", (campaign_id,))
        if row is None or (owner_id is not None and row["owner_id"] != owner_id):
            raise NotFound("no such campaign")
        row["counts"] = _counts(row)
        return row

    def participants(self, owner_id: UUID, campaign_id: UUID) -> list[dict[str, Any]]:
        self.campaign(owner_id, campaign_id)
        return self.read.fetch_all(
            "SELECT * FROM read.esm_participants WHERE campaign_id = %s ORDER BY enrolled_at",
            (campaign_id,),
        )

    def prompts(
        self,
        owner_id: UUID,
        campaign_id: UUID,
        participant: UUID | None = None,
        status: str | None = None,
        limit: int = 1000,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        self.campaign(owner_id, campaign_id)
        if status is not None and status not in PROMPT_STATUSES:
            raise InvalidInput(f"status must be one of {', '.join(PROMPT_STATUSES)}")
        return self.read.fetch_all(
            "SELECT * FROM read.esm_prompts WHERE campaign_id = %s"
            " AND (%s::uuid IS NULL OR participant_id = %s::uuid)"
            " AND (%s::text IS NULL OR status = %s::text)"
            " ORDER BY scheduled_at, id LIMIT %s OFFSET %s",
            (campaign_id, participant, participant, status, status, limit, offset),
        )

    def compliance(self, owner_id: UUID, campaign_id: UUID) -> dict[str, Any]:
        self.campaign(owner_id, campaign_id)
        totals = self.read.fetch_one(
            f"SELECT {COMPLIANCE_COLUMNS} FROM read.esm_prompts pr WHERE pr.campaign_id = %s",
            (campaign_id,),
        )
        rows = self.read.fetch_all(
            f"SELECT p.id AS participant, p.status AS participant_status,"
            f" p.delivery_problem, {COMPLIANCE_COLUMNS}"
            " FROM read.esm_participants p"
            " LEFT JOIN read.esm_prompts pr ON pr.participant_id = p.id"
            " WHERE p.campaign_id = %s GROUP BY p.id, p.status, p.enrolled_at"
            " ORDER BY p.enrolled_at, p.id",
            (campaign_id,),
        )
        assert totals is not None
        by_questionnaire = self.read.fetch_all(
            f"SELECT pr.questionnaire, {COMPLIANCE_COLUMNS} FROM read.esm_prompts pr"
            " WHERE pr.campaign_id = %s GROUP BY pr.questionnaire ORDER BY pr.questionnaire",
            (campaign_id,),
        )
        return {
            "totals": _rates(totals),
            "questionnaires": [
                {"questionnaire": r["questionnaire"], **_rates(r)} for r in by_questionnaire
            ],
            "participants": [
                {
                    "participant": r["participant"],
                    "status": r["participant_status"],
                    "delivery_problem": r["delivery_problem"],
                    **_rates(r),
                }
                for r in rows
            ],
        }

    def responses(self, owner_id: UUID, campaign_id: UUID) -> list[dict[str, Any]]:
        self.campaign(owner_id, campaign_id)
        return self.read.fetch_all(
            "SELECT r.prompt_id, r.participant_id AS participant, r.questionnaire_version,"
            " p.scheduled_at, p.sent_at, r.answered_at, r.latency_seconds, r.answers,"
            " r.duration_seconds, r.too_fast AS flag_too_fast,"
            " r.straight_lined AS flag_straight_lined, r.long_gap AS flag_long_gap,"
            " r.questionnaire"
            " FROM read.esm_responses r JOIN read.esm_prompts p ON p.id = r.prompt_id"
            " WHERE r.campaign_id = %s ORDER BY r.answered_at, r.prompt_id",
            (campaign_id,),
        )

    def question_ids(self, owner_id: UUID, campaign_id: UUID) -> list[str]:
        campaign = self.campaign(owner_id, campaign_id)
        return [q["id"] for q in campaign_questions(campaign)["questions"]]

    def wide_rows(self, owner_id: UUID, campaign_id: UUID) -> tuple[list[str], list[dict]]:
        """One row per response, one column per question (of the current questionnaire);
        a question id that names one of our own columns is exported as `q_<id>`."""
        columns = answer_columns(self.question_ids(owner_id, campaign_id))
        rows = []
        for response in self.responses(owner_id, campaign_id):
            row = {field: response[field] for field in RESPONSE_FIELDS}
            for qid, column in columns.items():
                row[column] = response["answers"].get(qid)
            rows.append(row)
        return [*RESPONSE_FIELDS, *columns.values()], rows

    def responses_csv(self, owner_id: UUID, campaign_id: UUID) -> str:
        columns, rows = self.wide_rows(owner_id, campaign_id)
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: csv_cell(v) for k, v in row.items()})
        return out.getvalue()

    def responses_parquet(self, owner_id: UUID, campaign_id: UUID) -> bytes:
        import pyarrow as pa
        import pyarrow.parquet as pq

        columns, rows = self.wide_rows(owner_id, campaign_id)
        for row in rows:
            row["prompt_id"] = str(row["prompt_id"])
            row["participant"] = str(row["participant"])
        table = pa.Table.from_pylist(rows) if rows else pa.table({c: [] for c in columns})
        sink = io.BytesIO()
        pq.write_table(table, sink)
        return sink.getvalue()
