"""Item logic: show-if conditions on earlier answers, and the order a prompt shows its
questions and options in (randomised, seeded per prompt).

A question may carry `show_if: {question, equals | in | gt | lt: value}`. It is shown only
when that earlier question was answered and the condition holds; a question whose condition
question is hidden is hidden too. Conditions may only look back (at questions before them),
so they can never form a cycle. The survey page evaluates the same rules with
`interfaces/web/templates/survey/logic.js` (tests/unit/test_esm_logic.py checks both agree).

`randomize: true` on a questionnaire shuffles its questions, keeping each question together
with the questions that depend on it (in their order, after it); on a choice question it
shuffles the options. The shuffle is drawn from a seed recorded when the link is first
opened (`Prompt.Opened.order_seed`), so a replay shows exactly what the participant saw.
"""

from __future__ import annotations

import math
import random
from typing import Any

from domain.shared.errors import InvalidInput

OPERATORS = ("equals", "in", "gt", "lt")
ORDERED_TYPES = ("likert", "slider", "number")
CHOICE_TYPES = ("single_choice", "multi_choice")


def _problem(qid: str, problem: str) -> InvalidInput:
    return InvalidInput(f"question {qid!r}: show_if {problem}")


def _valid_value(question: dict[str, Any], value: Any) -> bool:
    kind = question["type"]
    if kind == "likert":
        return (
            isinstance(value, int)
            and not isinstance(value, bool)
            and 1 <= value <= question["points"]
        )
    if kind in ("slider", "number"):
        return (
            isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
        )
    if kind in CHOICE_TYPES:
        return value in question["options"]
    return isinstance(value, str) and 0 < len(value) <= 1000


def normalise_show_if(
    qid: str, raw: Any, earlier: dict[str, dict[str, Any]], later: set[str]
) -> dict[str, Any]:
    """The canonical condition of question `qid`, checked against the questions before it."""
    if not isinstance(raw, dict) or not isinstance(raw.get("question"), str):
        raise _problem(qid, "must be an object {question, equals|in|gt|lt: value}")
    target = raw["question"]
    operators = [op for op in OPERATORS if op in raw]
    if len(operators) != 1 or set(raw) != {"question", operators[0]}:
        raise _problem(qid, "needs exactly one of equals, in, gt, lt")
    if target == qid:
        raise _problem(qid, "refers to the question itself (a cycle)")
    if target in later:
        raise _problem(
            qid, f"refers to a later question ({target!r}); conditions may only look back"
        )
    if target not in earlier:
        raise _problem(qid, f"refers to an unknown question ({target!r})")
    question, op, value = earlier[target], operators[0], raw[operators[0]]
    if op in ("gt", "lt"):
        if question["type"] not in ORDERED_TYPES or not _valid_value(question, value):
            raise _problem(qid, f"{op} needs a number and a likert, slider or number question")
    elif op == "in":
        if (
            not isinstance(value, list)
            or not value
            or not all(_valid_value(question, v) for v in value)
        ):
            raise _problem(qid, f"in needs a list of possible answers to {target!r}")
    elif not _valid_value(question, value):
        raise _problem(qid, f"equals needs a possible answer to {target!r}")
    return {"question": target, op: value}


def holds(condition: dict[str, Any], answer: Any) -> bool:
    """Whether a condition holds for the (canonical, validated) answer it looks at."""
    if answer is None:
        return False
    chosen = answer if isinstance(answer, list) else [answer]
    if "equals" in condition:
        return condition["equals"] in chosen
    if "in" in condition:
        return any(value in chosen for value in condition["in"])
    if not isinstance(answer, int | float) or isinstance(answer, bool):
        return False
    if "gt" in condition:
        return bool(answer > condition["gt"])
    return bool(answer < condition["lt"])


def is_shown(question: dict[str, Any], answers: dict[str, Any], shown: set[str]) -> bool:
    """`shown`: the earlier questions that were shown."""
    condition = question.get("show_if")
    if condition is None:
        return True
    return condition["question"] in shown and holds(condition, answers.get(condition["question"]))


def visible_questions(questionnaire: dict[str, Any], answers: dict[str, Any]) -> list[str]:
    """The ids of the questions shown for these answers, in questionnaire order."""
    shown: set[str] = set()
    result = []
    for question in questionnaire["questions"]:
        if is_shown(question, answers, shown):
            shown.add(question["id"])
            result.append(question["id"])
    return result


def has_randomisation(questionnaire: dict[str, Any]) -> bool:
    return bool(questionnaire.get("randomize")) or any(
        q.get("randomize") for q in questionnaire["questions"]
    )


def arrange(questionnaire: dict[str, Any], seed: int | None) -> list[dict[str, Any]]:
    """The questions as a prompt shows them: for seed None (or no randomisation) the
    questionnaire's own order; else blocks (a question and those depending on it) shuffled,
    and the options of randomised choice questions shuffled, all drawn from `seed`."""
    questions = [dict(q) for q in questionnaire["questions"]]
    if seed is None or not has_randomisation(questionnaire):
        return questions
    rng = random.Random(seed)
    root: dict[str, str] = {}
    blocks: dict[str, list[dict[str, Any]]] = {}
    for question in questions:
        condition = question.get("show_if")
        head = root[condition["question"]] if condition else question["id"]
        root[question["id"]] = head
        blocks.setdefault(head, []).append(question)
    order = list(blocks)
    if questionnaire.get("randomize"):
        rng.shuffle(order)
    arranged = [question for head in order for question in blocks[head]]
    for question in arranged:
        if question.get("randomize") and question["type"] in CHOICE_TYPES:
            options = list(question["options"])
            rng.shuffle(options)
            question["options"] = options
    return arranged
