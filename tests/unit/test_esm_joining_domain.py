"""Given events, when a command, then events: self-enrollment settings and the enrollment's
join, pause, re-plan and erasure rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest

from domain.esm.enrollment import Enrollment, EnrollmentNotPending, EnrollmentWithdrawn
from domain.esm.joining import consent_digest, joinability, normalise_self_enrollment
from domain.shared.errors import Conflict, InvalidInput

NOW = datetime(2026, 6, 10, 8, 0, tzinfo=UTC)


def joiner() -> Enrollment:
    enrollment = Enrollment.request_to_join(
        campaign_id=uuid4(),
        subject_id=uuid4(),
        sealed_email="sealed:v1:x",
        timezone="Europe/Warsaw",
        window_start=None,
        window_end=None,
        at=NOW,
    )
    enrollment.consent(1, "d" * 64, "I agree", NOW)
    return enrollment


def names(enrollment: Enrollment) -> list[str]:
    return [type(e).__name__ for e in enrollment.collect_events()]


def test_consent_version_bumps_only_when_the_wording_changes() -> None:
    first = normalise_self_enrollment({"open": True, "consent_text": "Yes."}, None)
    assert first["consent_version"] == 1
    capped = normalise_self_enrollment({"max_participants": 10}, first)
    assert capped["consent_version"] == 1
    reworded = normalise_self_enrollment({"information": "More."}, capped)
    assert reworded["consent_version"] == 2
    assert consent_digest(reworded) != consent_digest(capped)


@pytest.mark.parametrize(
    "changes",
    [
        {"open": True},
        {"open": "yes"},
        {"max_participants": 0},
        {"closes_at": "2026-06-10T10:00"},
        {"consent_text": "x" * 20_001},
        {"colour": "red"},
    ],
)
def test_bad_self_enrollment_settings_are_refused(changes: dict) -> None:  # type: ignore[type-arg]
    with pytest.raises(InvalidInput):
        normalise_self_enrollment(changes, None)


def test_joinability_names_why_nobody_can_join() -> None:
    open_ = normalise_self_enrollment({"open": True, "consent_text": "Yes."}, None)
    assert joinability(open_, "active", "2026-06-10", "2026-06-20", NOW).open
    assert "ended" in joinability(open_, "completed", "2026-06-10", "2026-06-20", NOW).reason
    assert "ended" in joinability(open_, "active", "2026-06-21", "2026-06-20", NOW).reason
    closing = {**open_, "closes_at": (NOW - timedelta(minutes=1)).isoformat()}
    assert "closed" in joinability(closing, "active", "2026-06-10", "2026-06-20", NOW).reason
    assert not joinability(None, "active", "2026-06-10", "2026-06-20", NOW).open


def test_a_join_request_is_pending_until_confirmed() -> None:
    enrollment = joiner()
    assert enrollment.status == "pending" and enrollment.source == "self"
    with pytest.raises(EnrollmentWithdrawn):
        enrollment.record_day(date(2026, 6, 10), 1, [NOW], NOW)
    assert enrollment.request_confirmation(NOW) == 1
    assert enrollment.confirm(1, NOW) is True
    assert enrollment.confirm(1, NOW) is False, "confirming twice changes nothing"
    assert names(enrollment) == ["JoinRequested", "Consented", "ConfirmationRequested", "Confirmed"]


def test_three_confirmation_requests_a_day_at_most() -> None:
    enrollment = joiner()
    assert [enrollment.request_confirmation(NOW) for _ in range(4)] == [1, 2, 3, None]
    assert enrollment.request_confirmation(NOW + timedelta(days=1, seconds=1)) == 4


def test_pause_is_bounded_and_only_for_active_participants() -> None:
    enrollment = joiner()
    with pytest.raises(EnrollmentWithdrawn):
        enrollment.pause(3, NOW)
    enrollment.confirm(1, NOW)
    for days in (0, 61, True):
        with pytest.raises(InvalidInput):
            enrollment.pause(days, NOW)  # type: ignore[arg-type]
    until = enrollment.pause(3, NOW)
    assert enrollment.is_paused(NOW + timedelta(days=2)) and not enrollment.is_paused(until)
    enrollment.end_pause(date(2026, 6, 10), NOW)
    with pytest.raises(Conflict):
        enrollment.end_pause(date(2026, 6, 10), NOW)


def test_a_preference_change_starts_a_new_round_from_the_replan_day() -> None:
    enrollment = joiner()
    enrollment.confirm(1, NOW)
    enrollment.record_day(date(2026, 6, 10), 1, [NOW + timedelta(hours=1)], NOW)
    enrollment.record_day(date(2026, 6, 11), 2, [NOW + timedelta(days=1)], NOW)
    first_ids = list(enrollment.prompt_ids)
    assert enrollment.change_preferences("Asia/Tokyo", None, None, date(2026, 6, 11), NOW)
    assert enrollment.round == 1 and enrollment.planned_days == {"2026-06-10"}
    again = enrollment.record_day(date(2026, 6, 11), 3, [NOW + timedelta(days=1)], NOW)
    assert again[0][0] not in first_ids, "a re-planned day gets a fresh prompt id"
    assert not enrollment.change_preferences("Asia/Tokyo", None, None, date(2026, 6, 11), NOW)


def test_erasure_needs_a_withdrawal_and_ends_everything() -> None:
    enrollment = joiner()
    enrollment.confirm(1, NOW)
    with pytest.raises(Conflict):
        enrollment.record_erasure(NOW)
    enrollment.withdraw(NOW)
    enrollment.record_erasure(NOW)
    assert enrollment.erased
    assert enrollment.request_confirmation(NOW) is None
    with pytest.raises(EnrollmentWithdrawn):
        enrollment.consent(2, "e" * 64, "I agree", NOW)
    with pytest.raises(EnrollmentNotPending):
        enrollment.confirm(1, NOW)
