"""docs/events.md is generated from the domain code and must not drift from it."""

from __future__ import annotations

from pathlib import Path

from application.audit.catalogue import render

DOC = Path(__file__).resolve().parents[2] / "docs" / "events.md"


def test_the_event_catalogue_matches_the_code() -> None:
    assert DOC.read_text() == render(), (
        "docs/events.md is out of date: run"
        " `python -m application.audit.catalogue > docs/events.md`"
    )


def test_the_catalogue_lists_every_context_and_the_sealed_email() -> None:
    text = render()
    for heading in ("## identity: Account", "## esm: Campaign", "## esm: Prompt"):
        assert heading in text
    assert "`Enrollment.Enrolled` | 1 |" in text
    assert "`sealed_email: str`" in text
