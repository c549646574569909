"""The SPSS `.sav` of the long export (pyreadstat, from a pandas frame): variable labels,
value labels and measurement levels from the codebook, so the file opens in SPSS, PSPP, R
(haven) or Python with every label in place. Times are SPSS datetimes (UTC for `_at`, the
participant's wall clock for `_local`); a single choice is its code, each multi-choice
option a 0/1 variable; booleans are 0/1 labelled no/yes."""

from __future__ import annotations

import os
import tempfile
from typing import Any
from uuid import UUID

from application.esm.codebook import SAV, Variable
from application.esm.export_cells import multi_choice_cell

MAX_LABEL = 256
MAX_VALUE_LABEL = 120


def _cell(variable: Variable, row: dict[str, Any], questions: dict[str, Any]) -> Any:
    value = row.get(variable.name)
    if value is None:
        return "" if variable.type in ("string", "multiple") else None
    if variable.type == "categorical":
        return float(questions[variable.question or ""]["options"].index(value) + 1)
    if variable.type == "multiple":
        return multi_choice_cell(value)
    if variable.type == "boolean":
        return 1.0 if value else 0.0
    if variable.type in ("integer", "number"):
        return float(value)
    if variable.type == "datetime":
        return value.replace(tzinfo=None)  # UTC, or already the local wall clock
    if isinstance(value, UUID):
        return str(value)
    return value


def write(
    name: str, every: list[Variable], rows: list[dict[str, Any]], questions: dict[str, Any]
) -> bytes:
    import pandas as pd
    import pyreadstat

    chosen = [v for v in every if SAV in v.datasets]
    owners = {  # a multi-choice option's variable -> its question's variable
        v.name: next(a.name for a in every if a.question == v.question and a.option is None)
        for v in chosen
        if v.option is not None
    }
    data: dict[str, list[Any]] = {v.name: [] for v in chosen}
    for row in rows:
        for variable in chosen:
            if variable.option is not None:
                answer = row.get(owners[variable.name])
                option = questions[variable.question or ""]["options"][variable.option]
                data[variable.name].append(None if answer is None else float(option in answer))
            else:
                data[variable.name].append(_cell(variable, row, questions))
    frame = pd.DataFrame(data)
    for variable in chosen:
        if variable.type == "datetime":
            frame[variable.name] = pd.to_datetime(frame[variable.name])
        elif variable.type in ("integer", "number", "categorical", "boolean"):
            frame[variable.name] = pd.to_numeric(frame[variable.name]).astype("float64")
    labels = {
        v.name: {float(k): text[:MAX_VALUE_LABEL] for k, text in v.value_labels.items()}
        for v in chosen
        if v.value_labels and v.type in ("integer", "categorical", "boolean")
    }
    handle, path = tempfile.mkstemp(suffix=".sav")
    os.close(handle)
    try:
        pyreadstat.write_sav(
            frame,
            path,
            file_label=name[:64],
            column_labels={v.name: v.label[:MAX_LABEL] for v in chosen},
            variable_value_labels=labels,
            variable_measure={v.name: v.measure for v in chosen},
        )
        with open(path, "rb") as file:
            return file.read()
    finally:
        os.unlink(path)
