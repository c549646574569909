"""The quality flags of a response as the `esm` projection writes them: the pure rules of
domain/esm/quality.py applied to the answered event, the campaign's questionnaire and rules
and the prompt's first open, as the read models already hold them (they were written by
earlier events, so a rebuild gives the same flags)."""

from __future__ import annotations

import json
from typing import Any

from application.shared.ports import Cursor
from domain.esm.quality import DEFAULT_QUALITY, QualityFlags, quality_flags


def _one(cursor: Cursor, sql: str, params: tuple[Any, ...]) -> Any:
    # A cursor of its own: in pipeline mode a shared cursor's fetch can see the result of
    # an earlier statement instead of this one (as application/audit/projections.py does).
    connection = getattr(cursor, "connection", None)
    reader: Any = connection.cursor() if connection is not None else cursor
    reader.execute(sql, params)
    return reader.fetchone()


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


def _field(row: Any, index: int, name: str) -> Any:
    return row[name] if isinstance(row, dict) else row[index]


def response_quality(cursor: Cursor, event: Any) -> QualityFlags:
    campaign = _one(
        cursor,
        "SELECT jsonb_build_object('questions', COALESCE((SELECT jsonb_agg(q)"
        " FROM jsonb_array_elements(questionnaires) AS qs(x),"
        " jsonb_array_elements(x->'questions') AS each(q)), questionnaire->'questions'))"
        " AS questionnaire, quality FROM read.esm_campaigns WHERE id = %s",
        (event.campaign_id,),
    )
    prompt = _one(
        cursor, "SELECT opened_at FROM read.esm_prompts WHERE id = %s", (event.originator_id,)
    )
    questionnaire = _json(_field(campaign, 0, "questionnaire")) if campaign else {"questions": []}
    rules = (_json(_field(campaign, 1, "quality")) if campaign else None) or DEFAULT_QUALITY
    opened_at = _field(prompt, 0, "opened_at") if prompt else None
    return quality_flags(questionnaire, event.answers, opened_at, event.at, rules)
