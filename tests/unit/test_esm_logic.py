"""Item logic: show-if conditions (validated when defined, evaluated the same on the server
and in the page's script) and randomised orders (seeded per prompt, recorded, replayed)."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.esm.logic import arrange, visible_questions
from domain.esm.prompt import Prompt
from domain.esm.questionnaire import (
    InvalidAnswer,
    coerce_form,
    normalise_questionnaire,
    validate_answers,
)
from domain.shared.errors import InvalidInput
from tests.support.decider import given_history
from tests.support.esm_domain import new_prompt

LOGIC_JS = (
    Path(__file__).resolve().parents[2] / "interfaces" / "web" / "templates" / "survey" / "logic.js"
)
NOW = datetime(2026, 6, 10, 8, 0, tzinfo=UTC)
COMPANY = {
    "id": "company",
    "type": "single_choice",
    "text": "Who are you with?",
    "options": ["alone", "family", "friends"],
}
WHO = {
    "id": "who",
    "type": "text",
    "text": "Who exactly?",
    "show_if": {"question": "company", "in": ["family", "friends"]},
}
CLOSE = {
    "id": "close",
    "type": "likert",
    "text": "How close do you feel?",
    "show_if": {"question": "who", "equals": "mum"},
}
MOOD = {"id": "mood", "type": "likert", "text": "Mood", "points": 5}
WHY = {"id": "why", "type": "text", "text": "Why so low?", "show_if": {"question": "mood", "lt": 3}}
BRANCHING = normalise_questionnaire({"questions": [COMPANY, WHO, CLOSE, MOOD, WHY]})


def questionnaire(*questions: dict[str, Any], **top: Any) -> dict[str, Any]:
    return normalise_questionnaire({"questions": list(questions), **top})


# -- defining conditions ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ({"question": "later", "equals": 1}, "refers to a later question ('later')"),
        ({"question": "q", "equals": 1}, "refers to the question itself (a cycle)"),
        ({"question": "ghost", "equals": 1}, "refers to an unknown question ('ghost')"),
        ({"question": "company", "gt": 2}, "gt needs a number"),
        ({"question": "company", "equals": "strangers"}, "equals needs a possible answer"),
        ({"question": "mood", "equals": 9}, "equals needs a possible answer"),
        ({"question": "mood", "in": []}, "in needs a list"),
        ({"question": "mood", "equals": 1, "lt": 3}, "needs exactly one of"),
        ({"question": "mood", "above": 3}, "needs exactly one of"),
        ("mood", "must be an object"),
    ],
)
def test_impossible_conditions_are_refused_naming_the_question(
    condition: Any, message: str
) -> None:
    later = {"id": "later", "type": "number", "text": "Later"}
    question = {"id": "q", "type": "text", "text": "Q", "show_if": condition}
    with pytest.raises(InvalidInput, match=f"question 'q': show_if .*{message[:20]}"):
        questionnaire(COMPANY, MOOD, question, later)


def test_randomize_is_for_questionnaires_and_choice_questions() -> None:
    assert questionnaire(MOOD, randomize=True)["randomize"] is True
    assert questionnaire({**COMPANY, "randomize": True})["questions"][0]["randomize"] is True
    with pytest.raises(InvalidInput, match="only for choice questions"):
        questionnaire({**MOOD, "randomize": True})
    assert "randomize" not in questionnaire(MOOD)  # the older shape when unused


# -- evaluating them on the server -----------------------------------------------------
def test_a_question_is_shown_only_when_its_condition_holds_and_its_condition_is_shown() -> None:
    assert visible_questions(BRANCHING, {"company": "alone", "mood": 4}) == ["company", "mood"]
    shown = visible_questions(BRANCHING, {"company": "family", "who": "mum", "mood": 2})
    assert shown == ["company", "who", "close", "mood", "why"]
    # `close` hangs on `who`, which is hidden when alone: hidden too, whatever was typed
    assert "close" not in visible_questions(BRANCHING, {"company": "alone", "who": "mum"})


def test_a_hidden_question_is_not_required_and_its_answer_is_not_kept() -> None:
    answers = validate_answers(BRANCHING, {"company": "alone", "who": "mum", "mood": 4})
    assert answers == {"company": "alone", "mood": 4}
    with pytest.raises(InvalidAnswer) as failure:
        validate_answers(BRANCHING, {"company": "friends", "mood": 1})
    assert failure.value.problems == [
        ("who", "an answer is required"),
        ("why", "an answer is required"),
    ]


def test_the_form_without_javascript_follows_the_same_rules() -> None:
    form = {"company": ["alone"], "who": ["mum"], "close": ["3"], "mood": ["4"], "why": [""]}
    assert validate_answers(BRANCHING, coerce_form(BRANCHING, form)) == {
        "company": "alone",
        "mood": 4,
    }


# -- the same rules in the page --------------------------------------------------------
def _question(index: int, kind: str, target: dict[str, Any] | None, draw: Any) -> dict[str, Any]:
    question: dict[str, Any] = {"id": f"q{index}", "type": kind, "text": f"Q{index}"}
    if kind == "likert":
        question["points"] = 5
    if kind in ("single_choice", "multi_choice"):
        question["options"] = ["a", "b", "c"]
    if target is not None:
        ttype = target["type"]
        if ttype in ("likert", "number") and draw(st.booleans()):
            question["show_if"] = {"question": target["id"], draw(st.sampled_from(["gt", "lt"])): 3}
        elif ttype in ("single_choice", "multi_choice"):
            values = draw(st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=2))
            op = draw(st.sampled_from(["equals", "in"]))
            question["show_if"] = {
                "question": target["id"],
                op: values if op == "in" else values[0],
            }
        elif ttype == "likert":
            question["show_if"] = {"question": target["id"], "equals": draw(st.integers(1, 5))}
        elif ttype == "number":
            question["show_if"] = {"question": target["id"], "equals": draw(st.integers(0, 5))}
        else:
            question["show_if"] = {"question": target["id"], "equals": "x"}
    return question


def _answer(question: dict[str, Any], draw: Any) -> Any:
    kind = question["type"]
    if kind == "likert":
        return draw(st.integers(1, 5))
    if kind == "number":
        return draw(st.one_of(st.integers(0, 6), st.floats(0, 6, allow_nan=False)))
    if kind == "single_choice":
        return draw(st.sampled_from(["a", "b", "c"]))
    if kind == "multi_choice":
        return draw(st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, unique=True))
    return draw(st.sampled_from(["x", "y"]))


@st.composite
def cases(draw: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    kinds = ["likert", "number", "single_choice", "multi_choice", "text"]
    questions: list[dict[str, Any]] = []
    for index in range(draw(st.integers(1, 7))):
        target = draw(st.sampled_from(questions)) if questions and draw(st.booleans()) else None
        questions.append(_question(index, draw(st.sampled_from(kinds)), target, draw))
    answers = {q["id"]: _answer(q, draw) for q in questions if draw(st.booleans())}
    return {"questions": questions}, answers


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(cases(), min_size=30, max_size=30))
def test_the_page_script_shows_exactly_the_questions_the_server_keeps(
    batch: list[tuple[dict[str, Any], dict[str, Any]]],
) -> None:
    normalised = [(normalise_questionnaire(q), answers) for q, answers in batch]
    program = (  # the page's own script, run as the browser would but without a document
        "const fs = require('fs'); const module = {exports: {}};"
        f"new Function('module', fs.readFileSync({json.dumps(str(LOGIC_JS))}, 'utf8'))(module);"
        "const logic = module.exports;"
        "const cases = JSON.parse(fs.readFileSync(0, 'utf8'));"
        "console.log(JSON.stringify(cases.map(([q, a]) => logic.visible(q.questions, a))));"
    )
    result = subprocess.run(
        ["node", "-e", program],
        input=json.dumps(normalised),
        capture_output=True,
        text=True,
        check=True,
    )
    page = json.loads(result.stdout)
    server = [visible_questions(q, answers) for q, answers in normalised]
    assert page == server


# -- randomised orders -----------------------------------------------------------------
RANDOMISED = normalise_questionnaire(
    {
        "randomize": True,
        "questions": [
            {**COMPANY, "randomize": True},
            WHO,
            CLOSE,
            MOOD,
            WHY,
            {"id": "sleep", "type": "number", "text": "Hours slept"},
            {"id": "note", "type": "text", "text": "Anything else?"},
        ],
    }
)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 2**63 - 1))
def test_a_seed_gives_one_order_that_keeps_each_condition_before_its_question(seed: int) -> None:
    shown = arrange(RANDOMISED, seed)
    assert shown == arrange(RANDOMISED, seed)  # the seed alone decides
    ids = [q["id"] for q in shown]
    assert sorted(ids) == sorted(q["id"] for q in RANDOMISED["questions"])
    for question in shown:
        if question.get("show_if"):
            assert ids.index(question["show_if"]["question"]) < ids.index(question["id"])
    company = next(q for q in shown if q["id"] == "company")
    assert sorted(company["options"]) == sorted(COMPANY["options"])
    assert ids[ids.index("company") : ids.index("company") + 3] == ["company", "who", "close"]


def test_seeds_do_shuffle_and_no_seed_keeps_the_questionnaires_order() -> None:
    orders = {tuple(q["id"] for q in arrange(RANDOMISED, seed)) for seed in range(30)}
    options = {
        tuple(next(q for q in arrange(RANDOMISED, seed) if q["id"] == "company")["options"])
        for seed in range(30)
    }
    assert len(orders) > 5 and len(options) > 1
    assert arrange(RANDOMISED, None) == RANDOMISED["questions"]
    assert arrange(BRANCHING, 12345) == BRANCHING["questions"]  # nothing to randomise


def test_the_order_seed_is_recorded_at_the_first_open_and_replays() -> None:
    prompt = new_prompt(NOW)
    replayed, history = given_history(
        prompt,
        lambda p: p.claim_sending("h", NOW),
        lambda p: p.mark_sent("m", NOW),
        lambda p: p.open(NOW + timedelta(minutes=1), order_seed=987654321),
        lambda p: p.open(NOW + timedelta(minutes=2), order_seed=1),  # later opens keep it
    )
    opened = [e for e in history if type(e).__name__ == "Opened"]
    assert [e.order_seed for e in opened] == [987654321]  # type: ignore[attr-defined]
    assert replayed.order_seed == 987654321
    assert arrange(RANDOMISED, replayed.order_seed) == arrange(RANDOMISED, 987654321)


def test_a_version_1_open_reads_as_the_questionnaires_own_order() -> None:
    state: dict[str, Any] = {"campaign_id": uuid4(), "deadline": NOW, "at": NOW}
    Prompt.Opened.upcast_v1_v2(state)
    assert state["order_seed"] is None
