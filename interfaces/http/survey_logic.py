"""What the survey page says about a show-if condition when JavaScript does not run: a hint
under the question ("Answer this only if ..."), so the form is usable without scripts (the
server keeps no answer to a question whose condition does not hold)."""

from __future__ import annotations

from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context


def _value(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def describe(condition: dict[str, Any], text: str, multiple: bool) -> str:
    if "equals" in condition:
        verb = "includes" if multiple else "is"
        return (
            f"Answer this only if your answer to “{text}” {verb} “{_value(condition['equals'])}”."
        )
    if "in" in condition:
        values = ", ".join(f"“{_value(v)}”" for v in condition["in"])
        verb = "includes one of" if multiple else "is one of"
        return f"Answer this only if your answer to “{text}” {verb} {values}."
    if "gt" in condition:
        return (
            f"Answer this only if your answer to “{text}” is more than {_value(condition['gt'])}."
        )
    return f"Answer this only if your answer to “{text}” is less than {_value(condition['lt'])}."


@pass_context
def condition_hint(context: Context, question: dict[str, Any]) -> str:
    condition = question["show_if"]
    questions = {q["id"]: q for q in context["survey"]["questions"]}
    target = questions.get(condition["question"], {})
    multiple = target.get("type") == "multi_choice"
    return describe(condition, target.get("text", condition["question"]), multiple)
