"""ESMpress test helpers: a settable clock, a researcher with a token, campaign definitions."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from fastapi.testclient import TestClient

from infrastructure.bootstrap import Container
from tests.support.mailer import RecordingMailer
from tests.support.system import running_projector


@dataclass
class FakeClock:
    now: datetime = field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self) -> datetime:
        with self._lock:
            return self.now

    def advance(self, **delta: float) -> datetime:
        with self._lock:
            self.now = self.now + timedelta(**delta)
            return self.now

    def set(self, moment: datetime) -> None:
        with self._lock:
            self.now = moment


@contextmanager
def controlled(
    container: Container, clock: FakeClock, mailer: Any | None = None
) -> Iterator[RecordingMailer]:
    """Installs a clock and a mailer into the (session) container for one test."""
    recording = mailer or RecordingMailer()
    saved = (container.clock, container.esm.clock, container.mailer)
    container.clock = clock
    container.esm.clock = clock
    container.mailer = recording
    try:
        yield recording
    finally:
        container.clock, container.esm.clock, container.mailer = saved


System = tuple[TestClient, Container, FakeClock, RecordingMailer]


@contextmanager
def api_system(client: TestClient, start: datetime) -> Iterator[System]:
    """The API's container on a clock set to `start`, with a recording mailer and the
    projector running: (client, container, clock, mailer)."""
    container: Container = client.app.state.container  # type: ignore[attr-defined]
    clock = FakeClock(start)
    with controlled(container, clock) as mailer, running_projector(container):
        yield client, container, clock, mailer


def researcher_headers(container: Container) -> tuple[UUID, dict[str, str]]:
    email = f"researcher-{uuid4().hex[:10]}@example.com"
    account_id, _ = container.identity.register(email, "researcher-pass", ("researcher",))
    claims = container.tokens.issue(account_id, ("researcher",), "access")
    return account_id, {"Authorization": f"Bearer {container.tokens.encode(claims)}"}


def definition(today: date, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Daily mood",
        "description": "How are you, right now?",
        "timezone": "Europe/Warsaw",
        "start_date": today.isoformat(),
        "end_date": (today + timedelta(days=6)).isoformat(),
        "expiry_minutes": 60,
        "completion_minutes": 15,
        "reminder_after_minutes": 20,
        "questionnaire": {
            "questions": [
                {"id": "mood", "type": "likert", "text": "How is your mood?", "points": 5},
                {
                    "id": "energy",
                    "type": "slider",
                    "text": "Energy",
                    "min": 0,
                    "max": 100,
                    "step": 5,
                },
                {
                    "id": "company",
                    "type": "single_choice",
                    "text": "Who are you with?",
                    "options": ["alone", "family", "friends", "colleagues"],
                },
                {
                    "id": "activities",
                    "type": "multi_choice",
                    "text": "What are you doing?",
                    "options": ["work", "rest", "sport", "eating"],
                    "required": False,
                },
                {"id": "sleep", "type": "number", "text": "Hours slept", "min": 0, "max": 24},
                {
                    "id": "note",
                    "type": "text",
                    "text": "Anything else?",
                    "max_length": 200,
                    "required": False,
                },
            ]
        },
        "schedule": {
            "kind": "interval",
            "every_minutes": 120,
            "window_start": "00:00",
            "window_end": "23:59",
        },
    }
    body.update(overrides)
    return body


VALID_ANSWERS = {
    "mood": 4,
    "energy": 55,
    "company": "friends",
    "activities": ["rest"],
    "sleep": 7.5,
}


def wait_read(container: Container, position: int) -> None:
    assert container.database.wait_for("esm", "esm", position, timeout=10)


def esm_head(container: Container) -> int:
    return container.esm.recorder.max_notification_id() or 0


def token_from(text: str) -> str:
    marker = "/s/"
    start = text.index(marker) + len(marker)
    end = start
    while end < len(text) and (text[end].isalnum() or text[end] in "-_"):
        end += 1
    return text[start:end]


def client_with(container: Container) -> TestClient:
    from interfaces.http.app import create_app

    return TestClient(create_app(container))


@dataclass
class SentPrompt:
    campaign_id: UUID
    participant_id: UUID
    prompt_id: UUID
    token: str
    email: str


def launched_campaign(container: Container, clock: FakeClock, **overrides: Any) -> UUID:
    owner_id = uuid4()
    campaign_id, _ = container.esm.create_campaign(
        owner_id, definition(clock().date(), **overrides)
    )
    container.esm.launch_campaign(owner_id, campaign_id)
    return campaign_id


def send_one(
    container: Container, clock: FakeClock, mailer: RecordingMailer, **overrides: Any
) -> SentPrompt:
    """A launched campaign (definition `overrides` applied) with one participant whose first
    prompt has just been emailed."""
    campaign_id = launched_campaign(container, clock, **overrides)
    owner_id = container.esm.campaign_for(None, campaign_id).owner_id
    email = f"p-{uuid4().hex[:10]}@example.com"
    participant_id, _ = container.esm.enroll(owner_id, campaign_id, email)
    enrollment = container.esm.get_or_none(participant_id)
    prompt_id = enrollment.prompt_ids[0]  # type: ignore[union-attr]
    prompt = container.esm.get_or_none(prompt_id)
    clock.set(prompt.scheduled_at)  # type: ignore[union-attr]
    outcome = container.esm.send_prompt(prompt_id, mailer, container.settings.public_url)
    assert outcome == "sent", outcome
    mail = mailer.to(email)[-1]
    return SentPrompt(campaign_id, participant_id, prompt_id, token_from(mail.text), email)
