"""How answers become export cells and columns (pure).

* Columns: question ids never collide with the export's own columns. New questionnaires
  cannot use a reserved name (domain.esm.questionnaire refuses it); a campaign defined
  before that rule keeps its data, exported under `q_<id>`.
* CSV formula injection: a text cell that a spreadsheet would run as a formula (it starts
  with `=`, `+`, `-`, `@`, a tab or a carriage return) is written with a leading `'`, as
  OWASP advises. Numbers are never touched (-5 stays -5).
* Multi-choice: the chosen options in one cell, separated by `;`. The cell is itself a
  `;`-delimited CSV record, so an option holding `;` or `"` is quoted inside it:
  `rest;"yes; twice"` reads back with any CSV reader set to delimiter `;`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from domain.esm.questionnaire import is_reserved_column

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def answer_columns(question_ids: Iterable[str]) -> dict[str, str]:
    """question id -> its column name: the id itself, or `q_<id>` for an id that names one
    of the export's own columns (or that another question's column already took)."""
    ids = list(question_ids)
    taken = {qid.casefold() for qid in ids if not is_reserved_column(qid)}
    columns: dict[str, str] = {}
    for qid in ids:
        name = qid
        if is_reserved_column(qid):
            name = f"q_{qid}"
            while name.casefold() in taken or is_reserved_column(name):
                name = f"q_{name}"
            taken.add(name.casefold())
        columns[qid] = name
    return columns


def neutralise(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def multi_choice_cell(values: list[Any]) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="").writerow([str(v) for v in values])
    return out.getvalue()


def csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return neutralise(multi_choice_cell(value))
    if isinstance(value, str):
        return neutralise(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
