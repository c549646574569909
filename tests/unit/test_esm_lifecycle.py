"""The lifecycle tables in domain/esm/status.py are what the aggregates do: every command
from every state either leads where the table says or is refused with a named error."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from domain.esm.campaign import Campaign, CampaignStateConflict
from domain.esm.status import CAMPAIGN_TRANSITIONS, CampaignStatus
from tests.support.decider import given, then
from tests.support.esm import definition

NOW = datetime(2026, 6, 10, 8, 0, tzinfo=UTC)
PATH_TO = {
    CampaignStatus.DRAFT: (),
    CampaignStatus.ACTIVE: ("launch",),
    CampaignStatus.PAUSED: ("launch", "pause"),
    CampaignStatus.COMPLETED: ("launch", "complete"),
    CampaignStatus.ARCHIVED: ("archive",),
}
EVENT_OF = {"launch": "Launched", "pause": "Paused", "resume": "Resumed"}
EVENT_OF |= {"complete": "Completed", "archive": "Archived"}


def campaign_in(status: CampaignStatus) -> Campaign:
    created = Campaign.create(uuid4(), uuid4(), definition(NOW.date()), NOW)
    steps = [lambda c, name=name: getattr(c, name)(NOW) for name in PATH_TO[status]]
    campaign = given(created, *steps)
    assert campaign.status == status
    return campaign


@pytest.mark.parametrize("status", list(CampaignStatus))
@pytest.mark.parametrize("command", list(CAMPAIGN_TRANSITIONS))
def test_each_campaign_command_follows_the_transition_table(
    status: CampaignStatus, command: str
) -> None:
    allowed, target = CAMPAIGN_TRANSITIONS[command]
    campaign = campaign_in(status)
    if status in allowed:
        getattr(campaign, command)(NOW)
        assert campaign.status == target
        assert then(campaign) == [EVENT_OF[command]]
    else:
        with pytest.raises(CampaignStateConflict, match=f"cannot {command}"):
            getattr(campaign, command)(NOW)
        assert then(campaign) == []
