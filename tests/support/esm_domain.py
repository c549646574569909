"""Fresh ESM aggregates for domain tests: a prompt and an enrollment of their own campaign."""

from __future__ import annotations

from datetime import datetime
from uuid import uuid4

from domain.esm.enrollment import Enrollment
from domain.esm.prompt import Prompt


def new_prompt(
    at: datetime, reminder: int | None = 20, completion: int = 15, sequence: int = 0
) -> Prompt:
    """A prompt scheduled at `at` (its own day), 60 minutes to answer once sent."""
    return Prompt.schedule(
        prompt_id=uuid4(),
        campaign_id=uuid4(),
        enrollment_id=uuid4(),
        day=at.date().isoformat(),
        sequence=sequence,
        scheduled_at=at,
        expiry_minutes=60,
        completion_minutes=completion,
        reminder_after_minutes=reminder,
    )


def new_enrollment(at: datetime, timezone: str = "UTC") -> Enrollment:
    """A participant enrolled at `at`, with no personal window."""
    return Enrollment.enroll(
        campaign_id=uuid4(),
        subject_id=uuid4(),
        sealed_email="sealed",
        timezone=timezone,
        window_start=None,
        window_end=None,
        at=at,
    )
