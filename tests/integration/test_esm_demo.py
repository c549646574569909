"""`kairos demo` seeds a campaign whose prompts arrive within minutes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from infrastructure.bootstrap import Container
from interfaces.cli.demo import PARTICIPANTS, seed
from tests.support.esm import FakeClock, controlled, wait_read
from tests.support.system import running_projector


def test_demo_prompts_are_emailed_within_minutes(container: Container) -> None:
    clock = FakeClock(datetime(2026, 6, 10, 12, 0, 30, tzinfo=UTC))
    with controlled(container, clock) as mailer, running_projector(container):
        result = seed(container)
        wait_read(container, container.esm.recorder.max_notification_id() or 0)
        clock.advance(minutes=7)
        due = container.esm.due_prompt_ids()
        for prompt_id in due:
            container.esm.send_prompt(prompt_id, mailer, "http://testserver")
    assert result["times"] == ["12:01", "12:03", "12:06"]
    for email in PARTICIPANTS:
        mails = mailer.to(email)
        assert len(mails) == 3
        assert all("/s/" in m.text for m in mails)
    assert clock() - datetime(2026, 6, 10, 12, 0, 30, tzinfo=UTC) == timedelta(minutes=7)
