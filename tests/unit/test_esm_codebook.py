"""The codebook names, labels and types every exported variable, and the `.sav` written from
it opens with pyreadstat with those labels (no database: rows as the read models give them)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

import pyreadstat

from application.esm import sav
from application.esm.codebook import LONG, SAV, WIDE, codebook, variables
from application.esm.publishing import long_row
from domain.esm.questionnaire import normalise_questionnaire
from tests.support.esm import definition

QUESTIONNAIRE = normalise_questionnaire(definition(date(2026, 6, 10))["questionnaire"])
QUESTIONNAIRE["questions"][0]["labels"] = ["very bad", "very good"]
AT = datetime(2026, 6, 10, 8, 0, tzinfo=UTC)


def prompt_row(**changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "prompt_id": uuid4(),
        "participant": uuid4(),
        "questionnaire_version": 1,
        "day": date(2026, 6, 10),
        "sequence": 0,
        "timezone": "Europe/Warsaw",
        "status": "answered",
        "expiry_reason": None,
        "cancel_reason": None,
        "scheduled_at": AT,
        "sent_at": AT,
        "opened_at": AT.replace(minute=5),
        "answered_at": AT.replace(minute=6),
        "ended_at": None,
        "latency_seconds": 360.0,
        "duration_seconds": 60.0,
        "reminders_sent": 0,
        "too_fast": False,
        "straight_lined": False,
        "long_gap": True,
        "answers": {
            "mood": 5,
            "energy": 55,
            "company": "friends",
            "activities": ["work", "rest"],
            "sleep": 7.5,
        },
    }
    return {**row, **changes}


def test_every_question_and_field_has_a_label_type_and_datasets() -> None:
    book = codebook(
        {
            "id": uuid4(),
            "name": "Daily mood",
            "questionnaire_version": 1,
            "quality": {},
            "questionnaire": QUESTIONNAIRE,
        }
    )
    by_name = {v["name"]: v for v in book["variables"]}
    assert by_name["mood"] == {
        "name": "mood",
        "label": "How is your mood?",
        "type": "integer",
        "measure": "ordinal",
        "value_labels": {"1": "very bad", "5": "very good"},
        "question": "mood",
        "datasets": [WIDE, LONG, SAV],
    }
    assert by_name["company"]["value_labels"] == {
        "1": "alone",
        "2": "family",
        "3": "friends",
        "4": "colleagues",
    }
    assert by_name["activities_2"]["label"] == "What are you doing?: rest"
    assert by_name["activities_2"]["datasets"] == [SAV]
    assert by_name["outcome"]["value_labels"]["expired_not_opened"].startswith("missed")
    assert {"scheduled_local", "answered_local", "timezone"} <= set(by_name)
    assert by_name["scheduled_local"]["datasets"] == [LONG, SAV]
    assert all(v["label"] and v["type"] for v in book["variables"])


def test_a_multi_choice_option_never_takes_another_questions_name() -> None:
    questionnaire = normalise_questionnaire(
        {
            "questions": [
                {"id": "doing", "type": "multi_choice", "text": "Doing?", "options": ["a", "b"]},
                {"id": "doing_1", "type": "number", "text": "How long?"},
            ]
        }
    )
    names = [v.name for v in variables(questionnaire)]
    assert len({n.casefold() for n in names}) == len(names)
    assert "doing_1_" in names and names.count("doing_1") == 1


def test_the_sav_opens_with_pyreadstat_with_its_labels(tmp_path: Path) -> None:
    every = variables(QUESTIONNAIRE)
    answers = [v for v in every if v.question is not None and v.option is None]
    missed = prompt_row(
        status="expired",
        expiry_reason="not_opened",
        opened_at=None,
        answered_at=None,
        ended_at=AT.replace(hour=9),
        latency_seconds=None,
        duration_seconds=None,
        answers=None,
        questionnaire_version=None,
    )
    rows = [long_row(prompt_row(), answers), long_row(missed, answers)]
    questions = {q["id"]: q for q in QUESTIONNAIRE["questions"]}
    path = tmp_path / "campaign.sav"
    path.write_bytes(sav.write("Daily mood", every, rows, questions))

    frame, meta = pyreadstat.read_sav(str(path))
    assert meta.file_label == "Daily mood"
    assert list(frame.columns) == [v.name for v in every if SAV in v.datasets]
    assert meta.column_names_to_labels["mood"] == "How is your mood?"
    assert meta.column_names_to_labels["scheduled_local"].endswith("local time")
    assert meta.variable_value_labels["mood"] == {1.0: "very bad", 5.0: "very good"}
    assert meta.variable_value_labels["company"][3.0] == "friends"
    assert meta.variable_value_labels["flag_long_gap"] == {0.0: "no", 1.0: "yes"}
    assert meta.variable_measure["mood"] == "ordinal"
    assert meta.variable_measure["latency_seconds"] == "scale"
    answered, not_opened = frame.to_dict("records")
    assert (answered["company"], answered["activities_1"], answered["activities_2"]) == (
        3.0,
        1.0,
        1.0,
    )
    assert answered["activities_3"] == 0.0 and answered["flag_long_gap"] == 1.0
    assert str(answered["scheduled_local"]) == "2026-06-10 10:00:00"  # Warsaw, UTC+2
    assert not_opened["outcome"] == "expired_not_opened"
    assert str(not_opened["ended_at"]) == "2026-06-10 09:00:00"
    assert not_opened["mood"] != not_opened["mood"]  # NaN: system-missing, not 0


def test_a_campaign_without_prompts_still_gives_a_labelled_sav(tmp_path: Path) -> None:
    questions = {q["id"]: q for q in QUESTIONNAIRE["questions"]}
    path = tmp_path / "empty.sav"
    path.write_bytes(sav.write("Nobody yet", variables(QUESTIONNAIRE), [], questions))
    frame, meta = pyreadstat.read_sav(str(path))
    assert len(frame) == 0 and meta.column_names_to_labels["mood"] == "How is your mood?"
