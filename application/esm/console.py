"""What the researcher console reads: the participant table, one participant's prompt
journeys, the live compliance picture (KPIs, heatmap, tracker strips, funnel, latency
histogram, delivery problems) and the auditor's campaign list. SQL on the read models only,
scoped to the campaign's owner (someone else's campaign is not found)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from application.esm.queries import ESMQueries
from application.shared.queries import ReadModels
from domain.shared.errors import NotFound

LATENCY_BINS_SECONDS = (60, 300, 600, 900, 1800, 3600, 7200)
OUTCOMES = {"answered": "answered", "expired": "expired", "cancelled": "cancelled"}

PARTICIPANT_TABLE_SQL = """
SELECT p.*,
  count(pr.id) FILTER (WHERE pr.status <> 'cancelled') AS scheduled,
  count(pr.id) FILTER (WHERE pr.sent_at IS NOT NULL
                       OR pr.status IN ('sent', 'answered', 'expired')) AS sent,
  count(pr.id) FILTER (WHERE pr.status = 'answered') AS answered,
  count(pr.id) FILTER (WHERE pr.status = 'expired') AS expired,
  max(pr.answered_at) AS last_answer_at,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY pr.latency_seconds)
    FILTER (WHERE pr.status = 'answered') AS median_latency_seconds,
  (SELECT t.detail FROM read.esm_timeline t WHERE t.participant_id = p.id
    AND t.kind = 'delivery_problem' ORDER BY t.at DESC LIMIT 1) AS delivery_problem
FROM read.esm_participants p
LEFT JOIN read.esm_prompts pr ON pr.participant_id = p.id
WHERE p.campaign_id = %s
GROUP BY p.id
ORDER BY p.enrolled_at, p.id
"""


def display_status(row: dict[str, Any], now: datetime) -> str:
    if row.get("erased"):
        return "erased"
    paused = row.get("paused_until")
    if row["status"] == "active" and paused is not None and paused > now:
        return "paused"
    return str(row["status"])


def prompt_summary(prompt: dict[str, Any]) -> dict[str, Any]:
    """A prompt as journeys and tracker strips show it."""
    return {
        "prompt_id": prompt["id"],
        "day": prompt["day"],
        "scheduled_at": prompt["scheduled_at"],
        "status": prompt["status"],
        "outcome": outcome(prompt["status"]),
        "reason": prompt["expiry_reason"] or prompt["cancel_reason"],
    }


def _rate(answered: int, sent: int) -> float | None:
    return round(answered / sent, 4) if sent else None


def outcome(status: str) -> str:
    """A prompt's colour on a tracker strip: answered, expired, cancelled or pending."""
    return OUTCOMES.get(status, "pending")


class ConsoleQueries:
    def __init__(self, read: ReadModels) -> None:
        self.read = read
        self.esm = ESMQueries(read)

    # -- participants ------------------------------------------------------------------
    def participant_table(
        self, owner_id: UUID, campaign_id: UUID, now: datetime
    ) -> list[dict[str, Any]]:
        self.esm.campaign(owner_id, campaign_id)
        rows = self.read.fetch_all(PARTICIPANT_TABLE_SQL, (campaign_id,))
        for row in rows:
            row["display_status"] = display_status(row, now)
            row["response_rate"] = _rate(int(row["answered"]), int(row["sent"]))
            median = row["median_latency_seconds"]
            row["median_latency_seconds"] = round(float(median), 3) if median is not None else None
        return rows

    def timeline(
        self, owner_id: UUID, campaign_id: UUID, participant_id: UUID, now: datetime
    ) -> dict[str, Any]:
        self.esm.campaign(owner_id, campaign_id)
        participant = self.read.fetch_one(
            "SELECT * FROM read.esm_participants WHERE id = %s AND campaign_id = %s",
            (participant_id, campaign_id),
        )
        if participant is None:
            raise NotFound("no such participant")
        participant["display_status"] = display_status(participant, now)
        events = self.read.fetch_all(
            "SELECT position, prompt_id, at, kind, detail FROM read.esm_timeline"
            " WHERE campaign_id = %s AND participant_id = %s ORDER BY position",
            (campaign_id, participant_id),
        )
        prompts = self.read.fetch_all(
            "SELECT * FROM read.esm_prompts WHERE participant_id = %s AND campaign_id = %s"
            " ORDER BY scheduled_at, id",
            (participant_id, campaign_id),
        )
        by_prompt: dict[UUID, list[dict[str, Any]]] = {p["id"]: [] for p in prompts}
        own = []
        for event in events:
            item = {"kind": event["kind"], "at": event["at"], "detail": event["detail"]}
            if event["prompt_id"] is None:
                own.append(item)
            else:
                by_prompt.setdefault(event["prompt_id"], []).append(item)
        journeys = [
            {
                **prompt_summary(p),
                "sequence": p["sequence"],
                "events": by_prompt.get(p["id"], []),
            }
            for p in prompts
        ]
        return {"participant": participant, "events": own, "journeys": journeys}

    # -- live compliance ---------------------------------------------------------------
    def monitor(
        self, owner_id: UUID, campaign_id: UUID, now: datetime, limit: int, offset: int
    ) -> dict[str, Any]:
        campaign = self.esm.campaign(owner_id, campaign_id)
        people = self.read.fetch_all(
            "SELECT id, status, paused_until, erased FROM read.esm_participants"
            " WHERE campaign_id = %s ORDER BY enrolled_at, id LIMIT %s OFFSET %s",
            (campaign_id, limit, offset),
        )
        ids = [p["id"] for p in people]
        return {
            "generated_at": now,
            "campaign_status": campaign["status"],
            "kpis": self._kpis(campaign_id, campaign["timezone"], now),
            "funnel": self._funnel(campaign_id),
            "latency_histogram": self._latency(campaign_id),
            "delivery_problems": self._problems(campaign_id),
            "participants_total": self._count(campaign_id),
            "offset": offset,
            **self._grid(campaign_id, ids, people, now),
        }

    def _count(self, campaign_id: UUID) -> int:
        row = self.read.fetch_one(
            "SELECT count(*) AS n FROM read.esm_participants WHERE campaign_id = %s",
            (campaign_id,),
        )
        return int(row["n"]) if row else 0

    def _kpis(self, campaign_id: UUID, timezone: str, now: datetime) -> dict[str, Any]:
        people = self.read.fetch_one(
            "SELECT count(*) FILTER (WHERE status = 'active' AND NOT erased"
            "   AND (paused_until IS NULL OR paused_until <= %s)) AS active,"
            " count(*) FILTER (WHERE status = 'active' AND paused_until > %s) AS paused,"
            " count(*) FILTER (WHERE status = 'pending') AS pending,"
            " count(*) FILTER (WHERE status = 'withdrawn') AS withdrawn"
            " FROM read.esm_participants WHERE campaign_id = %s",
            (now, now, campaign_id),
        )
        prompts = self.read.fetch_one(
            "SELECT count(*) FILTER (WHERE sent_at IS NOT NULL"
            "   OR status IN ('sent', 'answered', 'expired')) AS sent,"
            " count(*) FILTER (WHERE status = 'answered') AS answered,"
            " count(*) FILTER (WHERE status = 'expired') AS expired,"
            " count(*) FILTER (WHERE status IN ('sending', 'sent')) AS open,"
            " count(*) FILTER (WHERE status = 'answered'"
            "   AND (answered_at AT TIME ZONE %s)::date = (%s AT TIME ZONE %s)::date)"
            "   AS answered_today,"
            " percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_seconds)"
            "   FILTER (WHERE status = 'answered') AS median_latency_seconds"
            " FROM read.esm_prompts WHERE campaign_id = %s",
            (timezone, now, timezone, campaign_id),
        )
        assert people is not None and prompts is not None
        median = prompts["median_latency_seconds"]
        return {
            "participants_active": int(people["active"]),
            "participants_paused": int(people["paused"]),
            "participants_pending": int(people["pending"]),
            "participants_withdrawn": int(people["withdrawn"]),
            "sent": int(prompts["sent"]),
            "answered": int(prompts["answered"]),
            "expired": int(prompts["expired"]),
            "open": int(prompts["open"]),
            "answered_today": int(prompts["answered_today"]),
            "response_rate": _rate(int(prompts["answered"]), int(prompts["sent"])),
            "median_latency_seconds": round(float(median), 3) if median is not None else None,
        }

    def _funnel(self, campaign_id: UUID) -> dict[str, int]:
        row = self.read.fetch_one(
            "SELECT count(*) FILTER (WHERE status <> 'cancelled') AS scheduled,"
            " count(*) FILTER (WHERE sent_at IS NOT NULL"
            "   OR status IN ('sent', 'answered', 'expired')) AS sent,"
            " count(*) FILTER (WHERE EXISTS (SELECT 1 FROM read.esm_timeline t"
            "   WHERE t.prompt_id = pr.id AND t.kind = 'delivery'"
            "   AND t.detail IN ('delivered', 'open', 'click'))"
            "   OR opened_at IS NOT NULL OR status = 'answered') AS delivered,"
            " count(*) FILTER (WHERE opened_at IS NOT NULL OR status = 'answered') AS opened,"
            " count(*) FILTER (WHERE status = 'answered') AS answered"
            " FROM read.esm_prompts pr WHERE campaign_id = %s",
            (campaign_id,),
        )
        assert row is not None
        return {key: int(value) for key, value in row.items()}

    def _latency(self, campaign_id: UUID) -> list[dict[str, Any]]:
        rows = self.read.fetch_all(
            "SELECT width_bucket(latency_seconds, %s::double precision[]) AS bucket,"
            " count(*) AS n FROM read.esm_prompts WHERE campaign_id = %s"
            " AND status = 'answered' GROUP BY 1",
            (list(map(float, LATENCY_BINS_SECONDS)), campaign_id),
        )
        counts = {int(r["bucket"]): int(r["n"]) for r in rows}
        edges = (0, *LATENCY_BINS_SECONDS, None)
        return [
            {"from_seconds": edges[i], "to_seconds": edges[i + 1], "count": counts.get(i, 0)}
            for i in range(len(edges) - 1)
        ]

    def _problems(self, campaign_id: UUID, limit: int = 100) -> list[dict[str, Any]]:
        return self.read.fetch_all(
            "SELECT participant_id AS participant, prompt_id, at, kind, detail"
            " FROM read.esm_timeline WHERE campaign_id = %s AND (kind = 'delivery_problem'"
            " OR (kind = 'send_failed' AND detail LIKE 'undeliverable%%'))"
            " ORDER BY at DESC, position DESC LIMIT %s",
            (campaign_id, limit),
        )

    def _grid(
        self, campaign_id: UUID, ids: list[UUID], people: list[dict[str, Any]], now: datetime
    ) -> dict[str, Any]:
        prompts = self.read.fetch_all(
            "SELECT id, participant_id, day, sequence, scheduled_at, status, sent_at,"
            " answered_at, expiry_reason, cancel_reason FROM read.esm_prompts"
            " WHERE campaign_id = %s AND participant_id = ANY(%s)"
            " ORDER BY participant_id, scheduled_at, id",
            (campaign_id, ids),
        )
        days = sorted({p["day"] for p in prompts})
        cells: dict[UUID, dict[Any, dict[str, int]]] = {i: {} for i in ids}
        strips: dict[UUID, list[dict[str, Any]]] = {i: [] for i in ids}
        for p in prompts:
            strips[p["participant_id"]].append(prompt_summary(p))
            if p["status"] == "cancelled":
                continue
            cell = cells[p["participant_id"]].setdefault(p["day"], {"sent": 0, "answered": 0})
            if p["sent_at"] is not None or p["status"] in ("sent", "answered", "expired"):
                cell["sent"] += 1
            if p["status"] == "answered":
                cell["answered"] += 1
        rows = []
        for person in people:
            own = cells[person["id"]]
            rows.append(
                {
                    "participant": person["id"],
                    "status": display_status(person, now),
                    "cells": [
                        {
                            "day": day,
                            "sent": own[day]["sent"] if day in own else 0,
                            "answered": own[day]["answered"] if day in own else 0,
                            "rate": _rate(own[day]["answered"], own[day]["sent"])
                            if day in own
                            else None,
                        }
                        for day in days
                    ],
                    "strip": strips[person["id"]],
                }
            )
        return {"days": days, "participants": rows}

    # -- audit -------------------------------------------------------------------------
    def auditable_campaigns(self, owner_id: UUID | None) -> list[dict[str, Any]]:
        """Every campaign (None: an auditor or admin), or the caller's own."""
        return self.read.fetch_all(
            "SELECT id, owner_id, name, status, timezone, start_date, end_date, created_at,"
            " launched_at, updated_at FROM read.esm_campaigns"
            " WHERE (%s::uuid IS NULL OR owner_id = %s::uuid) ORDER BY created_at DESC, id",
            (owner_id, owner_id),
        )
