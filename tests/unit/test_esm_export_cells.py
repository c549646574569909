"""Regression tests of the hostile trial on ESMpress exports: question ids that named the
export's own columns, spreadsheet formulas in text answers, and `;` inside a multi-choice
option."""

from __future__ import annotations

import csv

import pytest

from application.esm.export_cells import answer_columns, csv_cell, multi_choice_cell
from domain.esm.questionnaire import InvalidQuestionnaire, normalise_questionnaire


@pytest.mark.parametrize("qid", ["participant", "prompt_id", "answered_at", "Participant"])
def test_question_ids_naming_export_columns_are_refused_at_definition(qid: str) -> None:
    with pytest.raises(InvalidQuestionnaire, match="export's own columns"):
        normalise_questionnaire({"questions": [{"id": qid, "type": "text", "text": "t"}]})


def test_legacy_question_ids_that_collide_are_exported_under_a_prefix() -> None:
    columns = answer_columns(["participant", "q_participant", "mood"])
    assert columns == {
        "participant": "q_q_participant",
        "q_participant": "q_participant",
        "mood": "mood",
    }
    assert len(set(columns.values())) == 3


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_csv_formula_injection_is_neutralised(text: str) -> None:
    assert csv_cell(text) == "'" + text


def test_numbers_and_plain_text_are_left_alone() -> None:
    assert csv_cell(-5) == -5
    assert csv_cell(2.5) == 2.5
    assert csv_cell("fine - thanks") == "fine - thanks"
    assert csv_cell(None) == ""


def test_multi_choice_values_containing_semicolons_read_back_unambiguously() -> None:
    chosen = ["rest", "yes; twice", 'say "hi"']
    cell = multi_choice_cell(chosen)
    assert cell == 'rest;"yes; twice";"say ""hi"""'
    assert next(csv.reader([cell], delimiter=";")) == chosen
    assert multi_choice_cell(["a", "b"]) == "a;b"  # the common case is unchanged
    assert csv_cell(["=cmd", "b"]) == "'=cmd;b"
