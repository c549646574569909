"""A scripted ESMpress campaign for the audit tests, driven through the ESM use cases with a
controllable clock and a recording mailer (no Celery, no real email)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from infrastructure.bootstrap import Container
from infrastructure.postgres.projector import Projector
from tests.support import mailer
from tests.support.esm import FakeClock

LINK = re.compile(r"/s/([A-Za-z0-9_\-\.~]+)")


class RecordingMailer(mailer.RecordingMailer):
    def token_for(self, prompt_id: UUID) -> str:
        for message in reversed(self.sent):
            if message.custom_args["prompt_id"] == str(prompt_id):
                found = LINK.search(message.text)
                assert found, "the prompt email holds a survey link"
                return found.group(1)
        raise AssertionError(f"no email for prompt {prompt_id}")


def definition(today: date, name: str = "Mood study") -> dict[str, Any]:
    return {
        "name": name,
        "description": "How do you feel today?",
        "timezone": "UTC",
        "start_date": today.isoformat(),
        "end_date": (today + timedelta(days=2)).isoformat(),
        "expiry_minutes": 60,
        "reminder_after_minutes": 20,
        "questionnaire": {
            "questions": [
                {"id": "mood", "type": "slider", "text": "Mood?", "min": 0, "max": 10, "step": 1}
            ]
        },
        "schedule": {"kind": "fixed", "times": ["10:00", "14:00", "18:00"]},
    }


def catch_up(container: Container) -> None:
    Projector(container.database, container.applications, container.projections()).catch_up()


@dataclass
class ScriptedCampaign:
    container: Container
    clock: FakeClock
    owner_id: UUID = field(default_factory=uuid4)
    mailer: RecordingMailer = field(default_factory=RecordingMailer)
    campaign_id: UUID | None = None
    participants: dict[str, UUID] = field(default_factory=dict)

    @property
    def esm(self) -> Any:
        return self.container.esm

    def create(self) -> None:
        self.campaign_id, _ = self.esm.create_campaign(
            self.owner_id, definition(self.clock.now.date())
        )

    def launch(self) -> None:
        self.esm.launch_campaign(self.owner_id, self.campaign_id)

    def enroll(self, email: str) -> UUID:
        enrollment_id, _ = self.esm.enroll(self.owner_id, self.campaign_id, email)
        self.participants[email] = enrollment_id
        return enrollment_id  # type: ignore[no-any-return]

    def prompts_of(self, email: str) -> list[UUID]:
        return list(self.esm.repository.get(self.participants[email]).prompt_ids)

    def send_due(self, email: str) -> list[UUID]:
        sent = []
        for prompt_id in self.prompts_of(email):
            if self.esm.send_prompt(prompt_id, self.mailer, "http://testserver") == "sent":
                sent.append(prompt_id)
        return sent

    def answer(self, prompt_id: UUID, mood: int) -> None:
        token = self.mailer.token_for(prompt_id)
        self.esm.open_survey(token)
        self.esm.answer(token, {"mood": mood})

    def withdraw(self, email: str) -> None:
        self.esm.withdraw(self.owner_id, self.campaign_id, self.participants[email])

    def status(self, action: str) -> None:
        getattr(self.esm, f"{action}_campaign")(self.owner_id, self.campaign_id)


def start_clock() -> FakeClock:
    today = datetime.now(UTC).date()
    return FakeClock(datetime(today.year, today.month, today.day, 8, 0, tzinfo=UTC))


@contextmanager
def launched_campaign(container: Container) -> Iterator[ScriptedCampaign]:
    """A created and launched campaign on a controlled clock (`flow.clock`), which the ESM
    application uses until the block ends."""
    clock = start_clock()
    original = container.esm.clock
    container.esm.clock = clock
    try:
        flow = ScriptedCampaign(container, clock)
        flow.create()
        flow.launch()
        yield flow
    finally:
        container.esm.clock = original


def run_steps(flow: ScriptedCampaign, steps: list[Callable[[], Any]]) -> None:
    for step in steps:
        step()


@contextmanager
def first_event_edited(
    container: Container, campaign_id: UUID, edit: Callable[[bytes], bytes]
) -> Iterator[int]:
    """The campaign's first stored event with its bytes edited (yields its notification id);
    the original bytes are put back afterwards, so the shared database stays intact."""
    row = container.database.fetch_one(
        "SELECT notification_id, state FROM events.esm_events WHERE originator_id = %s"
        " ORDER BY originator_version LIMIT 1",
        (campaign_id,),
    )
    assert row is not None
    original, notification_id = bytes(row["state"]), row["notification_id"]
    update = "UPDATE events.esm_events SET state = %s WHERE notification_id = %s"
    container.database.execute(update, (edit(original), notification_id))
    try:
        yield notification_id
    finally:
        container.database.execute(update, (original, notification_id))
