"""Quality flags of a response: signs of careless answering that analysts screen for, from
what the events already hold (the answers, when the link was first opened, when it was
answered). A flag marks a response for a look; it never drops or changes it.

* `too_fast`: answered in fewer than `min_seconds_per_item` seconds per question answered,
  counted from the first open of the link (nobody reads and answers an item in under a
  second or so);
* `straight_lined`: at least `straight_line_min_items` rating questions (likert, slider)
  answered, every one at the same point of its scale (all 4 of 5, or all at the left end);
* `long_gap`: more than `long_gap_minutes` between opening the link and sending the answers
  (the participant left the form mid-way, so the answers may not describe one moment).

The rules are a campaign setting (`quality`), checked when defined.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.shared.errors import InvalidInput

DEFAULT_QUALITY: dict[str, Any] = {
    "min_seconds_per_item": 1.0,
    "straight_line_min_items": 3,
    "long_gap_minutes": 10,
}
RATING_TYPES = ("likert", "slider")


def normalise_quality(data: Any) -> dict[str, Any]:
    """The canonical quality rules: the defaults, with what `data` sets checked."""
    if data is None:
        return dict(DEFAULT_QUALITY)
    if not isinstance(data, dict):
        raise InvalidInput("quality must be an object")
    unknown = sorted(set(data) - set(DEFAULT_QUALITY))
    if unknown:
        raise InvalidInput(f"quality: {unknown[0]} is not a quality rule")
    rules = {**DEFAULT_QUALITY, **{k: v for k, v in data.items() if v is not None}}
    seconds = rules["min_seconds_per_item"]
    if (
        not isinstance(seconds, int | float)
        or isinstance(seconds, bool)
        or not math.isfinite(seconds)
        or not 0 <= seconds <= 60
    ):
        raise InvalidInput("quality: min_seconds_per_item must be a number from 0 to 60")
    for name, low, high in (("straight_line_min_items", 2, 100), ("long_gap_minutes", 1, 1440)):
        value = rules[name]
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise InvalidInput(f"quality: {name} must be an integer from {low} to {high}")
    return {**rules, "min_seconds_per_item": float(seconds)}


@dataclass(frozen=True)
class QualityFlags:
    duration_seconds: float | None
    """From the first open of the link to the answers (None: answered without opening it,
    as an app posting JSON may)."""
    too_fast: bool
    straight_lined: bool
    long_gap: bool


def _scale_point(question: dict[str, Any], value: Any) -> float | None:
    if question["type"] == "likert":
        return (value - 1) / (question["points"] - 1)
    if question["type"] == "slider":
        return (value - question["min"]) / (question["max"] - question["min"])
    return None


def straight_lined(questionnaire: dict[str, Any], answers: dict[str, Any], min_items: int) -> bool:
    rated = {
        question["id"]: question
        for question in questionnaire["questions"]
        if question["type"] in RATING_TYPES and question["id"] in answers
    }  # once each, though a question may be listed by several questionnaires
    points = [_scale_point(question, answers[qid]) for qid, question in rated.items()]
    return len(points) >= min_items and len({round(p, 6) for p in points if p is not None}) == 1


def quality_flags(
    questionnaire: dict[str, Any],
    answers: dict[str, Any],
    opened_at: datetime | None,
    answered_at: datetime,
    rules: dict[str, Any],
) -> QualityFlags:
    duration = (answered_at - opened_at).total_seconds() if opened_at is not None else None
    return QualityFlags(
        duration_seconds=duration,
        too_fast=duration is not None and duration < rules["min_seconds_per_item"] * len(answers),
        straight_lined=straight_lined(questionnaire, answers, rules["straight_line_min_items"]),
        long_gap=duration is not None and duration > rules["long_gap_minutes"] * 60,
    )
