"""A planned day becomes prompts: the enrollment records the day (once), and each drawn
moment is scheduled as a prompt carrying the campaign's link rules."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from domain.esm.campaign import Campaign
from domain.esm.enrollment import Enrollment
from domain.esm.prompt import Prompt
from domain.esm.questionnaires import derived_seed
from domain.esm.schedule import Window, plan_day


def plan_prompts(
    campaign: Campaign,
    enrollment: Enrollment,
    day: date,
    seed: int,
    moments: list[datetime],
    at: datetime,
    questionnaires: list[str] | None = None,
) -> list[Prompt]:
    """The prompts of `day` (none when the day was planned before); `questionnaires` names
    each moment's questionnaire (None: all the first one's)."""
    settings = campaign.settings
    which = questionnaires or [campaign.questionnaires[0]["id"]] * len(moments)
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
            questionnaire=which[sequence],
        )
        for sequence, (prompt_id, moment) in enumerate(
            enrollment.record_day(day, seed, moments, at, questionnaires)
        )
    ]


def draw_day(
    campaign: Campaign, day: date, tz: ZoneInfo, window: Window | None, seed: int
) -> list[tuple[datetime, str]]:
    """The moments of one participant-day with the questionnaire each asks, in time order:
    every questionnaire's schedule drawn from the day's seed (the first questionnaire from
    the seed itself, so a campaign with one draws as it always did)."""
    drawn: list[tuple[datetime, int, str]] = []
    for index, (questionnaire_id, policy) in enumerate(campaign.policies()):
        seed_of_it = derived_seed(seed, index, questionnaire_id)
        for moment in plan_day(policy, day, tz, window, seed_of_it, campaign.start_date):
            drawn.append((moment, index, questionnaire_id))
    return [(moment, questionnaire_id) for moment, _, questionnaire_id in sorted(drawn)]
