"""A campaign's definition checked and put in canonical form (what `Campaign.Created` and
`Campaign.Updated` carry), and its schedules parsed once per settings dict."""

from __future__ import annotations

import copy
from datetime import date, datetime, timedelta
from typing import Any

from domain.esm.quality import normalise_quality
from domain.esm.questionnaire import storable
from domain.esm.questionnaires import legacy_view, questionnaires_of
from domain.esm.reminders import normalise_reminders
from domain.esm.schedule import SchedulePolicy, zone
from domain.shared.errors import InvalidInput

MAX_CAMPAIGN_DAYS = 366


def _iso_date(value: Any, field: str) -> str:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise InvalidInput(f"{field} must be a date YYYY-MM-DD") from None


def _minutes(value: Any, field: str, low: int, high: int, optional: bool = False) -> int | None:
    if value is None and optional:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise InvalidInput(f"{field} must be an integer from {low} to {high}")
    return value


_POLICIES: dict[int, tuple[dict[str, Any], SchedulePolicy, dict[str, Any]]] = {}


def parsed_policy(schedule: dict[str, Any]) -> SchedulePolicy:
    """`SchedulePolicy.parse`, once per settings dict (planning asks for every enrollment).
    Keyed by the dict's identity and holding it, so the key cannot be reused; compared with
    a copy, so a dict changed in place is parsed again."""
    cached = _POLICIES.get(id(schedule))
    if cached is not None and cached[0] is schedule and cached[2] == schedule:
        return cached[1]
    policy = SchedulePolicy.parse(schedule)
    if len(_POLICIES) >= 256:
        _POLICIES.clear()
    _POLICIES[id(schedule)] = (schedule, policy, copy.deepcopy(schedule))
    return policy


def normalise_settings(data: dict[str, Any]) -> dict[str, Any]:
    """Validates a full campaign definition; returns it in canonical, event-ready form."""
    name = data.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 200 or not storable(name):
        raise InvalidInput("name must be 1 to 200 characters")
    description = data.get("description") or ""
    if not isinstance(description, str) or len(description) > 5000 or not storable(description):
        raise InvalidInput("description must be at most 5000 characters")
    zone(data.get("timezone"))
    start = _iso_date(data.get("start_date"), "start_date")
    end = _iso_date(data.get("end_date"), "end_date")
    if end < start:
        raise InvalidInput("end_date must not be before start_date")
    if (date.fromisoformat(end) - date.fromisoformat(start)).days >= MAX_CAMPAIGN_DAYS:
        raise InvalidInput(f"a campaign lasts at most {MAX_CAMPAIGN_DAYS} days")
    expiry = _minutes(data.get("expiry_minutes"), "expiry_minutes", 1, 7 * 24 * 60)
    completion = _minutes(
        data.get("completion_minutes", 30), "completion_minutes", 1, 24 * 60, optional=True
    )
    assert expiry is not None
    reminders = normalise_reminders(data, expiry)
    questionnaires = questionnaires_of(data)
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    for questionnaire in questionnaires:
        policy = SchedulePolicy.parse(questionnaire["schedule"])
        if not any(
            policy.samples(first + timedelta(days=n), first) for n in range((last - first).days + 1)
        ):
            which = "" if len(questionnaires) == 1 else f" of questionnaire {questionnaire['id']!r}"
            raise InvalidInput(
                f"the schedule{which} samples no day from {start} to {end}"
                " (check days_of_week, every_n_days and burst)"
            )
    return {
        "name": name.strip(),
        "description": description,
        "timezone": data["timezone"],
        "start_date": start,
        "end_date": end,
        "expiry_minutes": expiry,
        "completion_minutes": completion if completion is not None else 30,
        "reminder_after_minutes": reminders[0]["after_minutes"] if reminders else None,
        "reminders": reminders,
        "quality": normalise_quality(data.get("quality")),
        "questionnaires": questionnaires,
        **legacy_view(questionnaires),
    }
