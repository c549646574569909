"""Every pattern that guards input matches the whole value: "$" also matches before a final
newline, which let "0\n@0.a" through the email check (found by its property test)."""

from __future__ import annotations

import importlib

import pytest


@pytest.mark.parametrize(
    ("check", "value"),
    [
        ("domain.esm.questionnaire:QUESTION_ID", "mood\n"),
        ("domain.esm.questionnaires:QUESTIONNAIRE_ID", "morning\n"),
        ("domain.esm.schedule:HHMM", "08:00\n"),
        ("domain.myvod.watchlist:REGION", "PL\n"),
        ("domain.myvod.watchlist:SERVICE", "netflix\n"),
        ("domain.myvod.lists:TAG", "cosy\n"),
        ("application.esm.joining:JOIN_CODE", "abcdefgh\n"),
        ("infrastructure.postgres.analysts:NAME", "alice\n"),
    ],
)
def test_no_syntax_check_lets_a_trailing_newline_through(check: str, value: str) -> None:
    """The same "$" as the email check's, in every other pattern that guards input."""
    module, name = check.split(":")
    pattern = getattr(importlib.import_module(module), name)
    assert pattern.match(value) is None
    assert pattern.match(value.rstrip("\n")) is not None
