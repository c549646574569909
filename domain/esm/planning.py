"""A planned day becomes prompts: the enrollment records the day (once), and each drawn
moment is scheduled as a prompt carrying the campaign's link rules."""

from __future__ import annotations

from datetime import date, datetime

from domain.esm.campaign import Campaign
from domain.esm.enrollment import Enrollment
from domain.esm.prompt import Prompt


def plan_prompts(
    campaign: Campaign,
    enrollment: Enrollment,
    day: date,
    seed: int,
    moments: list[datetime],
    at: datetime,
) -> list[Prompt]:
    """The prompts of `day` (none when the day was planned before)."""
    settings = campaign.settings
    return [
        Prompt.schedule(
            prompt_id=prompt_id,
            campaign_id=campaign.id,
            enrollment_id=enrollment.id,
            day=day.isoformat(),
            sequence=sequence,
            scheduled_at=moment,
            expiry_minutes=settings["expiry_minutes"],
            completion_minutes=settings["completion_minutes"],
            reminders_after_minutes=campaign.reminder_offsets,
        )
        for sequence, (prompt_id, moment) in enumerate(
            enrollment.record_day(day, seed, moments, at)
        )
    ]
