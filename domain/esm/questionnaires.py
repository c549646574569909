"""Several questionnaires per campaign, each with its own schedule (a morning questionnaire at
wake-up, random momentary prompts, an evening diary). A prompt knows which questionnaire it
carries.

A definition gives either `questionnaires: [{id, name, questions, randomize?, schedule}]`
or the older `questionnaire` + `schedule`, which means one questionnaire with the id `main`.
A question may appear in several questionnaires (the same item asked in the morning and the
evening is one variable of the exports) only with the very same definition.
"""

from __future__ import annotations

import random
import re
from typing import Any

from domain.esm.questionnaire import normalise_questionnaire, storable
from domain.esm.schedule import SchedulePolicy
from domain.shared.errors import InvalidInput

MAIN = "main"
"""The id of the one questionnaire of a campaign defined the older way."""
MAX_QUESTIONNAIRES = 5
QUESTIONNAIRE_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,31}\Z")


def _fail(index: int, qid: Any, problem: str) -> InvalidInput:
    name = (
        f"questionnaire {qid!r}" if isinstance(qid, str) and qid else f"questionnaire #{index + 1}"
    )
    return InvalidInput(f"{name}: {problem}")


def _one(index: int, raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise _fail(index, None, "must be an object {id, name, questions, schedule}")
    qid = raw.get("id")
    if not isinstance(qid, str) or not QUESTIONNAIRE_ID.match(qid):
        raise _fail(
            index, None, "id must start with a letter and hold letters, digits, _ (32 at most)"
        )
    if raw.get("event_contingent"):
        raise _fail(index, qid, "event-contingent questionnaires are not supported yet")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 100 or not storable(name):
        raise _fail(index, qid, "name must be 1 to 100 characters")
    try:
        questionnaire = normalise_questionnaire(
            {"questions": raw.get("questions"), "randomize": raw.get("randomize")}
        )
        schedule = SchedulePolicy.parse(raw.get("schedule")).as_dict()
    except InvalidInput as error:
        raise _fail(index, qid, str(error)) from None
    return {"id": qid, "name": name.strip(), **questionnaire, "schedule": schedule}


def normalise_questionnaires(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The canonical questionnaires of a campaign definition."""
    given = data.get("questionnaires")
    if given is None:
        questionnaire = normalise_questionnaire(data.get("questionnaire"))
        schedule = SchedulePolicy.parse(data.get("schedule")).as_dict()
        return [{"id": MAIN, "name": "Questionnaire", **questionnaire, "schedule": schedule}]
    if not isinstance(given, list) or not 1 <= len(given) <= MAX_QUESTIONNAIRES:
        raise InvalidInput(f"questionnaires must be a list of 1 to {MAX_QUESTIONNAIRES}")
    result = [_one(index, raw) for index, raw in enumerate(given)]
    ids = [q["id"] for q in result]
    if len({i.casefold() for i in ids}) != len(ids):
        raise InvalidInput("questionnaires: each needs its own id (compared ignoring case)")
    seen: dict[str, tuple[str, dict[str, Any]]] = {}
    for questionnaire in result:
        for question in questionnaire["questions"]:
            key = question["id"].casefold()
            if key in seen and seen[key][1] != question:
                raise InvalidInput(
                    f"question {question['id']!r} is defined differently in questionnaires"
                    f" {seen[key][0]!r} and {questionnaire['id']!r}: a question shared by"
                    " questionnaires must be the same"
                )
            seen.setdefault(key, (questionnaire["id"], question))
    return result


def legacy_view(questionnaires: list[dict[str, Any]]) -> dict[str, Any]:
    """`questionnaire` and `schedule` as older readers know them: the first questionnaire."""
    first = questionnaires[0]
    questionnaire = {k: v for k, v in first.items() if k in ("questions", "randomize")}
    return {"questionnaire": questionnaire, "schedule": first["schedule"]}


def derived_seed(day_seed: int, index: int, questionnaire_id: str) -> int:
    """The seed of one questionnaire's draw on a planned day: the day's recorded seed for the
    first questionnaire (so a one-questionnaire campaign draws as it always did), a value
    derived from it and the questionnaire's id for the others."""
    if index == 0:
        return day_seed
    return random.Random(f"{day_seed}:{questionnaire_id}").randrange(2**63)


def all_questions(questionnaires: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every question of the campaign once, in order of first appearance (export columns)."""
    seen: set[str] = set()
    result = []
    for questionnaire in questionnaires:
        for question in questionnaire["questions"]:
            if question["id"] not in seen:
                seen.add(question["id"])
                result.append(question)
    return result


def questionnaires_of(data: dict[str, Any]) -> list[dict[str, Any]]:
    """`questionnaires`, or the older `questionnaire` + `schedule`; both only when they agree
    (a campaign's own settings hold both: the older pair mirrors the first questionnaire)."""
    questionnaires = normalise_questionnaires(data)
    if data.get("questionnaires") is not None and (
        data.get("questionnaire") is not None or data.get("schedule") is not None
    ):
        older = legacy_view(normalise_questionnaires({**data, "questionnaires": None}))
        if older != legacy_view(questionnaires):
            raise InvalidInput("give questionnaires, or questionnaire and schedule, not both")
    return questionnaires


def as_questionnaires_change(
    current: list[dict[str, Any]], settings: dict[str, Any], changes: dict[str, Any]
) -> dict[str, Any]:
    """An edit of the older `questionnaire` or `schedule` edits the one questionnaire
    (keeping its id and name); a campaign with several must edit `questionnaires`."""
    if "questionnaires" in changes or not {"questionnaire", "schedule"} & set(changes):
        return changes
    if len(current) > 1:
        raise InvalidInput("this campaign has several questionnaires: change `questionnaires`")
    questions = changes.get("questionnaire") or settings["questionnaire"]
    one = {
        "id": current[0]["id"],
        "name": current[0]["name"],
        **questions,
        "schedule": changes.get("schedule") or settings["schedule"],
    }
    rest = {k: v for k, v in changes.items() if k not in ("questionnaire", "schedule")}
    return {**rest, "questionnaires": [one]}
