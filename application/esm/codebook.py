"""The codebook of a campaign's exports (pure): every variable of the wide export (one row per
response), the long export (one row per prompt, missed ones included) and the SPSS file (the
long rows, single-choice answers as labelled codes, one 0/1 variable per multi-choice
option), with its label, type, measure and value labels. The `.sav` writer is driven by it,
so the file and its codebook cannot disagree."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from application.esm.export_cells import answer_columns
from application.esm.queries import campaign_questions

WIDE, LONG, SAV = "wide", "long", "sav"
ALL = (WIDE, LONG, SAV)
NO_YES = {"0": "no", "1": "yes"}
OUTCOMES = {
    "answered": "answered",
    "expired_not_opened": "missed: the link was never opened before it closed",
    "expired_not_finished": "missed: opened, but not submitted in time",
    "cancelled": "not asked: cancelled before sending (see outcome_reason)",
    "pending": "not over yet: scheduled, or sent and still open",
}


@dataclass(frozen=True)
class Variable:
    name: str
    label: str
    type: str
    """string, integer, number, date, datetime, boolean, categorical, multiple"""
    measure: str
    """nominal, ordinal or scale (SPSS's measurement levels)"""
    datasets: tuple[str, ...]
    value_labels: dict[str, str] | None = None
    question: str | None = None
    option: int | None = None
    """For a multi-choice option's 0/1 variable: the option's index."""

    def public(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "label": self.label,
            "type": self.type,
            "measure": self.measure,
            "value_labels": self.value_labels,
            "question": self.question,
            "datasets": list(self.datasets),
        }


def _field(name: str, label: str, kind: str, measure: str, *datasets: str) -> Variable:
    return Variable(name, label, kind, measure, tuple(datasets) or ALL)


FIELDS = (
    _field("prompt_id", "Prompt id", "string", "nominal"),
    _field("participant", "Participant (pseudonym: the enrollment id)", "string", "nominal"),
    _field("questionnaire", "The questionnaire the prompt asked (its id)", "string", "nominal"),
    _field("questionnaire_version", "Questionnaire version answered", "integer", "ordinal"),
    _field("day", "The participant's local day the prompt belongs to", "date", "scale", LONG, SAV),
    _field("sequence", "Prompt number within that day (0 first)", "integer", "ordinal", LONG, SAV),
    _field(
        "timezone",
        "The participant's time zone (IANA) for this prompt",
        "string",
        "nominal",
        LONG,
        SAV,
    ),
    Variable("outcome", "What became of the prompt", "string", "nominal", (LONG, SAV), OUTCOMES),
    _field(
        "outcome_reason", "Why it was cancelled (cancelled prompts)", "string", "nominal", LONG, SAV
    ),
    _field("scheduled_at", "Scheduled moment (UTC)", "datetime", "scale"),
    _field(
        "scheduled_local",
        "Scheduled moment, participant's local time",
        "datetime",
        "scale",
        LONG,
        SAV,
    ),
    _field("sent_at", "Sent (UTC)", "datetime", "scale"),
    _field("sent_local", "Sent, participant's local time", "datetime", "scale", LONG, SAV),
    _field("opened_at", "Link first opened (UTC)", "datetime", "scale", LONG, SAV),
    _field("opened_local", "Link first opened, local time", "datetime", "scale", LONG, SAV),
    _field("answered_at", "Answered (UTC)", "datetime", "scale"),
    _field("answered_local", "Answered, participant's local time", "datetime", "scale", LONG, SAV),
    _field("ended_at", "Expired or cancelled (UTC)", "datetime", "scale", LONG, SAV),
    _field("latency_seconds", "Seconds from sending to the answer", "number", "scale"),
    _field(
        "duration_seconds", "Seconds from first opening the link to the answer", "number", "scale"
    ),
    _field(
        "reminders_sent",
        "Number of the last reminder sent (0: none)",
        "integer",
        "ordinal",
        LONG,
        SAV,
    ),
    Variable(
        "flag_too_fast",
        "Quality: answered faster than the per-item threshold",
        "boolean",
        "nominal",
        ALL,
        NO_YES,
    ),
    Variable(
        "flag_straight_lined",
        "Quality: every rating question at the same scale point",
        "boolean",
        "nominal",
        ALL,
        NO_YES,
    ),
    Variable(
        "flag_long_gap",
        "Quality: a long gap between opening and answering",
        "boolean",
        "nominal",
        ALL,
        NO_YES,
    ),
)
WIDE_FIELDS = tuple(v.name for v in FIELDS if WIDE in v.datasets)
LONG_FIELDS = tuple(v.name for v in FIELDS if LONG in v.datasets)


def _likert_labels(question: dict[str, Any]) -> dict[str, str] | None:
    labels, points = question.get("labels") or [], question["points"]
    if len(labels) == points:
        return {str(i): label for i, label in enumerate(labels, start=1)}
    if len(labels) == 2:
        return {"1": labels[0], str(points): labels[1]}
    return None


def _answer(question: dict[str, Any], name: str) -> Variable:
    text, qid, kind = question["text"], question["id"], question["type"]
    if kind == "likert":
        return Variable(name, text, "integer", "ordinal", ALL, _likert_labels(question), qid)
    if kind in ("slider", "number"):
        return Variable(name, text, "number", "scale", ALL, None, qid)
    if kind == "single_choice":
        codes = {str(i): option for i, option in enumerate(question["options"], start=1)}
        return Variable(name, text, "categorical", "nominal", ALL, codes, qid)
    if kind == "multi_choice":
        return Variable(name, text, "multiple", "nominal", ALL, None, qid)
    return Variable(name, text, "string", "nominal", ALL, None, qid)


def variables(questionnaire: dict[str, Any]) -> list[Variable]:
    """Every variable, in export order: our fields, then one per question (and, in the .sav,
    one 0/1 per multi-choice option right after its question)."""
    questions = questionnaire["questions"]
    columns = answer_columns(q["id"] for q in questions)
    result = list(FIELDS)
    taken = {v.name.casefold() for v in result} | {c.casefold() for c in columns.values()}
    for question in questions:
        result.append(_answer(question, columns[question["id"]]))
        if question["type"] != "multi_choice":
            continue
        for index, option in enumerate(question["options"]):
            name = f"{columns[question['id']]}_{index + 1}"[:60]
            while name.casefold() in taken:
                name = f"{name}_"
            taken.add(name.casefold())
            result.append(
                Variable(
                    name,
                    f"{question['text']}: {option}",
                    "boolean",
                    "nominal",
                    (SAV,),
                    {"0": "not chosen", "1": "chosen"},
                    question["id"],
                    index,
                )
            )
    return result


def codebook(campaign: dict[str, Any]) -> dict[str, Any]:
    """The codebook document of a campaign row (read.esm_campaigns)."""
    return {
        "campaign_id": campaign["id"],
        "name": campaign["name"],
        "questionnaire_version": campaign["questionnaire_version"],
        "quality": campaign.get("quality") or {},
        "notes": (
            "Times ending _at are UTC; _local are the participant's wall-clock time in"
            " `timezone`. CSV and Parquet hold a single choice as the option's text and a"
            " multiple choice as the options joined by ';'; the .sav holds a single choice as"
            " its code (value labels) and each option of a multiple choice as a 0/1 variable."
            " Quality flags are empty for prompts that were not answered."
        ),
        "questionnaires": [
            {"id": q["id"], "name": q["name"], "questions": [x["id"] for x in q["questions"]]}
            for q in campaign.get("questionnaires") or []
        ],
        "variables": [v.public() for v in variables(campaign_questions(campaign))],
    }
