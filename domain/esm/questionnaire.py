"""Questionnaires: definitions are validated once (when a campaign is created or edited) and
every answer is validated against them. Both failures name the question at fault."""

from __future__ import annotations

import math
import re
from typing import Any

from domain.esm.logic import CHOICE_TYPES, is_shown, normalise_show_if
from domain.shared.errors import InvalidInput

QUESTION_TYPES = ("slider", "likert", "single_choice", "multi_choice", "text", "number")
QUESTION_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}\Z")
MAX_QUESTIONS = 100
MAX_TEXT_LENGTH = 10_000
RESERVED_COLUMNS = frozenset(
    {
        "answered_at",
        "answered_local",
        "answers",
        "campaign",
        "campaign_id",
        "day",
        "deadline",
        "delivery",
        "duration_seconds",
        "ended_at",
        "enrollment_id",
        "expired_at",
        "expiry_reason",
        "flag_long_gap",
        "flag_straight_lined",
        "flag_too_fast",
        "latency_seconds",
        "opened_at",
        "opened_local",
        "outcome",
        "outcome_reason",
        "participant",
        "participant_id",
        "prompt",
        "prompt_id",
        "questionnaire",
        "questionnaire_id",
        "questionnaire_version",
        "reminders_sent",
        "scheduled_at",
        "scheduled_local",
        "sent_at",
        "sent_local",
        "sequence",
        "status",
        "timezone",
    }
)
"""Column names the exports use for their own fields (wide, long, codebook); a question id
may not take one, compared case-insensitively (SPSS and spreadsheets ignore case)."""


def is_reserved_column(name: str) -> bool:
    return name.casefold() in RESERVED_COLUMNS


class InvalidQuestionnaire(InvalidInput):
    pass


class InvalidAnswer(InvalidInput):
    def __init__(self, question_id: str, problem: str) -> None:
        super().__init__(f"answer to question {question_id!r}: {problem}")
        self.question_id = question_id
        self.problems: list[tuple[str, str]] = [(question_id, problem)]

    @property
    def public_fields(self) -> dict[str, Any]:
        return {"errors": [{"question": q, "problem": p} for q, p in self.problems]}


class InvalidAnswers(InvalidAnswer):
    """Every problem of one submission at once (in questionnaire order), so a form can show
    them all; `question_id` is the first."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        InvalidInput.__init__(
            self, "; ".join(f"answer to question {q!r}: {p}" for q, p in problems)
        )
        self.question_id = problems[0][0]
        self.problems = list(problems)


def _raise_all(problems: list[tuple[str, str]]) -> None:
    if len(problems) == 1:
        raise InvalidAnswer(*problems[0])
    if problems:
        raise InvalidAnswers(problems)


def storable(value: str) -> bool:
    """Text the event store and PostgreSQL can keep: valid UTF-8 (no lone surrogates from
    JSON escapes) and no NUL character."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _fail(index: int, qid: str, problem: str) -> InvalidQuestionnaire:
    name = f"question {qid!r}" if qid else f"question #{index + 1}"
    return InvalidQuestionnaire(f"{name}: {problem}")


def normalise_questionnaire(data: Any) -> dict[str, Any]:
    """Checks a questionnaire definition and returns it in canonical form (defaults filled,
    unknown keys dropped). Raises InvalidQuestionnaire naming the first bad question."""
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        raise InvalidQuestionnaire("questionnaire must be an object with a 'questions' list")
    questions = data["questions"]
    if not questions:
        raise InvalidQuestionnaire("questionnaire needs at least one question")
    if len(questions) > MAX_QUESTIONS:
        raise InvalidQuestionnaire(f"questionnaire has more than {MAX_QUESTIONS} questions")
    seen: set[str] = set()
    result = []
    for index, raw in enumerate(questions):
        question = _normalise_question(index, raw)
        if question["id"].casefold() in seen:
            raise _fail(index, question["id"], "id is used twice (ids are compared ignoring case)")
        seen.add(question["id"].casefold())
        result.append(question)
    earlier: dict[str, dict[str, Any]] = {}
    for index, (raw, question) in enumerate(zip(questions, result, strict=True)):
        if raw.get("show_if") is not None:
            later = {q["id"] for q in result[index:]}
            question["show_if"] = normalise_show_if(question["id"], raw["show_if"], earlier, later)
        earlier[question["id"]] = question
    randomize = data.get("randomize") or False
    if not isinstance(randomize, bool):
        raise InvalidQuestionnaire("randomize must be true or false")
    return {"questions": result, **({"randomize": True} if randomize else {})}


def _normalise_question(index: int, raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise _fail(index, "", "must be an object")
    qid = raw.get("id")
    if not isinstance(qid, str) or not QUESTION_ID.match(qid):
        raise _fail(index, "", "id must start with a letter and hold only letters, digits, _")
    if is_reserved_column(qid):
        raise _fail(
            index,
            qid,
            "this id names one of the export's own columns; choose another"
            f" (reserved: {', '.join(sorted(RESERVED_COLUMNS))})",
        )
    kind = raw.get("type")
    if kind not in QUESTION_TYPES:
        raise _fail(index, qid, f"type must be one of {', '.join(QUESTION_TYPES)}")
    text = raw.get("text")
    if not isinstance(text, str) or not text.strip() or len(text) > 1000 or not storable(text):
        raise _fail(index, qid, "text must be 1 to 1000 characters")
    required = raw.get("required", True)
    if not isinstance(required, bool):
        raise _fail(index, qid, "required must be true or false")
    question: dict[str, Any] = {"id": qid, "type": kind, "text": text, "required": required}
    question.update(_type_settings(index, qid, kind, raw))
    randomize = raw.get("randomize", False)
    if not isinstance(randomize, bool) or (randomize and kind not in CHOICE_TYPES):
        raise _fail(index, qid, "randomize is true or false, and only for choice questions")
    if randomize:
        question["randomize"] = True
    return question


def _type_settings(index: int, qid: str, kind: str, raw: dict[str, Any]) -> dict[str, Any]:
    if kind == "slider":
        low, high, step = raw.get("min", 0), raw.get("max", 100), raw.get("step", 1)
        if not (_number(low) and _number(high) and _number(step)):
            raise _fail(index, qid, "min, max and step must be numbers")
        if low >= high or step <= 0 or step > high - low:
            raise _fail(index, qid, "needs min < max and 0 < step <= max - min")
        if (high - low) / step > 10_000:
            raise _fail(index, qid, "has more than 10000 steps")
        return {"min": low, "max": high, "step": step}
    if kind == "likert":
        points = raw.get("points", 5)
        if not isinstance(points, int) or isinstance(points, bool) or not 2 <= points <= 11:
            raise _fail(index, qid, "points must be an integer from 2 to 11")
        labels = raw.get("labels", [])
        if not isinstance(labels, list) or not all(
            isinstance(x, str) and storable(x) for x in labels
        ):
            raise _fail(index, qid, "labels must be a list of strings")
        if labels and len(labels) not in (2, points):
            raise _fail(index, qid, "labels must name both ends (2) or every point")
        return {"points": points, "labels": labels}
    if kind in ("single_choice", "multi_choice"):
        options = raw.get("options")
        if (
            not isinstance(options, list)
            or not 2 <= len(options) <= 50
            or not all(
                isinstance(x, str) and x.strip() and len(x) <= 200 and storable(x) for x in options
            )
        ):
            raise _fail(index, qid, "options must be a list of 2 to 50 non-empty strings")
        if len(set(options)) != len(options):
            raise _fail(index, qid, "options must be distinct")
        return {"options": options}
    if kind == "text":
        max_length = raw.get("max_length", 500)
        if (
            not isinstance(max_length, int)
            or isinstance(max_length, bool)
            or not 1 <= max_length <= MAX_TEXT_LENGTH
        ):
            raise _fail(index, qid, f"max_length must be an integer from 1 to {MAX_TEXT_LENGTH}")
        return {"max_length": max_length}
    low, high = raw.get("min"), raw.get("max")
    if (low is not None and not _number(low)) or (high is not None and not _number(high)):
        raise _fail(index, qid, "min and max must be numbers")
    if low is not None and high is not None and low > high:
        raise _fail(index, qid, "needs min <= max")
    return {"min": low, "max": high}


def validate_answers(questionnaire: dict[str, Any], answers: Any) -> dict[str, Any]:
    """Checks a submission against the questionnaire; returns the canonical answers (only
    answered questions). Raises InvalidAnswer (one problem) or InvalidAnswers (several)
    naming every failing question."""
    if not isinstance(answers, dict):
        raise InvalidInput("answers must be an object keyed by question id")
    result, problems = _check_all(questionnaire, answers)
    _raise_all(problems)
    return result


def _check_all(
    questionnaire: dict[str, Any], answers: dict[str, Any], skip: frozenset[str] = frozenset()
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    questions = {q["id"]: q for q in questionnaire["questions"]}
    problems = [
        (qid, "no such question in this questionnaire")
        for qid in sorted(set(answers) - set(questions))
    ]
    result: dict[str, Any] = {}
    shown: set[str] = set()
    for qid, question in questions.items():
        if qid in skip or not is_shown(question, result, shown):
            continue  # a hidden question: not required, and an answer to it is not kept
        shown.add(qid)
        value = answers.get(qid)
        if value is None or value == "" or value == []:
            if question["required"]:
                problems.append((qid, "an answer is required"))
            continue
        try:
            result[qid] = _check_answer(question, value)
        except InvalidAnswer as error:
            problems.extend(error.problems)
    return result, problems


def _check_answer(question: dict[str, Any], value: Any) -> Any:
    qid, kind = question["id"], question["type"]
    if kind == "slider":
        if not _number(value):
            raise InvalidAnswer(qid, "must be a number")
        low, high, step = question["min"], question["max"], question["step"]
        if not low <= value <= high:
            raise InvalidAnswer(qid, f"must be between {low} and {high}")
        steps = (value - low) / step
        if abs(steps - round(steps)) > 1e-6:
            raise InvalidAnswer(qid, f"must be a multiple of {step} from {low}")
        return value
    if kind == "likert":
        if not isinstance(value, int) or isinstance(value, bool):
            raise InvalidAnswer(qid, "must be an integer")
        if not 1 <= value <= question["points"]:
            raise InvalidAnswer(qid, f"must be from 1 to {question['points']}")
        return value
    if kind == "single_choice":
        if value not in question["options"]:
            raise InvalidAnswer(qid, "must be one of the options")
        return value
    if kind == "multi_choice":
        if not isinstance(value, list) or not all(v in question["options"] for v in value):
            raise InvalidAnswer(qid, "must be a list of the options")
        if len(set(value)) != len(value):
            raise InvalidAnswer(qid, "names an option twice")
        return [o for o in question["options"] if o in value]
    if kind == "text":
        if not isinstance(value, str) or not storable(value):
            raise InvalidAnswer(qid, "must be text")
        if len(value) > question["max_length"]:
            raise InvalidAnswer(qid, f"must be at most {question['max_length']} characters")
        return value
    if not _number(value):
        raise InvalidAnswer(qid, "must be a number")
    if question["min"] is not None and value < question["min"]:
        raise InvalidAnswer(qid, f"must be at least {question['min']}")
    if question["max"] is not None and value > question["max"]:
        raise InvalidAnswer(qid, f"must be at most {question['max']}")
    return value


def coerce_form(questionnaire: dict[str, Any], form: dict[str, list[str]]) -> dict[str, Any]:
    """Turns HTML form fields (all strings) into typed answers and checks them, raising
    every problem of the form at once (unparsable numbers and rule breaks alike)."""
    answers: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    known = {q["id"] for q in questionnaire["questions"]}
    for key in sorted(k for k in form if k not in known and not k.startswith("_")):
        problems.append((key, "no such question in this questionnaire"))
    unparsable: set[str] = set()
    for question in questionnaire["questions"]:
        qid, kind = question["id"], question["type"]
        values = [v for v in form.get(qid, []) if v != ""]
        if not values:
            continue
        if kind == "multi_choice":
            answers[qid] = values
            continue
        raw = values[0]
        try:
            if kind in ("single_choice", "text"):
                answers[qid] = raw
            elif kind == "likert":
                answers[qid] = _parse_number(qid, raw, integer=True)
            else:
                answers[qid] = _parse_number(qid, raw, integer=False)
        except InvalidAnswer as error:
            problems.extend(error.problems)
            unparsable.add(qid)
    _, rule_problems = _check_all(questionnaire, answers, frozenset(unparsable))
    order = {q["id"]: i for i, q in enumerate(questionnaire["questions"])}
    merged = problems + rule_problems
    merged.sort(key=lambda p: order.get(p[0], -1))
    _raise_all(merged)
    return answers


def _parse_number(qid: str, raw: str, *, integer: bool) -> int | float:
    try:
        number = float(raw.strip())
    except ValueError:
        raise InvalidAnswer(qid, "must be a number") from None
    if integer or number.is_integer():
        if integer and not number.is_integer():
            raise InvalidAnswer(qid, "must be an integer")
        return int(number)
    return number
