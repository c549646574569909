"""A real Celery worker PROCESS is SIGKILLed while it is emailing a prompt: the unacked task
is redelivered to the next worker, which finds the claim and sends nothing; once the claim's
lease has run out the prompt is sent, and the participant gets exactly one email.

The worker runs `celery -A tests.support.reliability_tasks worker` (the product's tasks with a
4 s broker visibility timeout) against the session database and the SendGrid fake, which is
told to hold the request for 20 s so the kill lands inside the provider call.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID, uuid4

import httpx
import pytest
from celery import Celery

from infrastructure.adapters.sendgrid import SendGridMailer
from infrastructure.bootstrap import Container
from infrastructure.settings import Settings
from tests.support.celery_process import CeleryProcess
from tests.support.esm import FakeClock, controlled, launched_campaign
from tests.support.isolated import process_env
from tests.support.polling import eventually

pytestmark = pytest.mark.slow


def Worker(env: dict[str, str], log_path: Path) -> CeleryProcess:
    """One prefork worker process on the test's queue."""
    args = ["worker", "-Q", env["CELERY_QUEUE"], "-c", "1", "-P", "prefork", "-l", "INFO"]
    args += ["-n", f"esm-kill-{uuid4().hex[:6]}@%h", "--without-gossip", "--without-mingle"]
    args += ["--without-heartbeat"]
    return CeleryProcess(args, env, log_path)


@pytest.fixture
def worker_env(settings: Settings, fakes_url: str, tmp_path: Path) -> dict[str, str]:
    queue = settings.model_copy(update={"celery_queue": f"kairos-esm-kill-{uuid4().hex[:8]}"})
    return {
        **process_env(queue, tmp_path),
        "KAIROS_TEST_VISIBILITY_TIMEOUT": "4",
        "KAIROS_TEST_BEAT_SECONDS": "3600",
        "SENDGRID_HOST": fakes_url,
        "SENDGRID_API_KEY": "SG.test",
        "PUBLIC_URL": "http://testserver",
    }


@pytest.fixture
def publisher(worker_env: dict[str, str]) -> Iterator[Celery]:
    app = Celery("esm-kill-tests", broker=worker_env["REDIS_URL"])
    yield app
    app.close()


def status(container: Container, prompt_id: UUID) -> str:
    return container.esm.get_or_none(prompt_id).status  # type: ignore[union-attr]


def test_a_worker_process_killed_inside_the_send_emails_the_prompt_once(
    container: Container,
    worker_env: dict[str, str],
    publisher: Celery,
    fakes: httpx.Client,
    fakes_url: str,
    tmp_path: Path,
) -> None:
    planning = FakeClock(datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3))
    with controlled(container, planning):
        campaign_id = launched_campaign(container, planning, expiry_minutes=600)
        owner = container.esm.campaign_for(None, campaign_id).owner_id
        email = f"kill-{uuid4().hex[:10]}@example.com"
        enrollment_id, _ = container.esm.enroll(owner, campaign_id, email)
    prompt_id = container.esm.get_or_none(enrollment_id).prompt_ids[0]  # type: ignore[union-attr]

    fakes.post("/_control/sendgrid", json={"fail_next": 1, "status": 503, "delay": 20})
    first = Worker(worker_env, tmp_path / "worker1.log")
    second: Worker | None = None
    try:
        publisher.send_task(
            "esm.send_prompt",
            kwargs={"prompt_id": str(prompt_id)},
            task_id=f"esm.send_prompt:{prompt_id}",
            queue=worker_env["CELERY_QUEUE"],
        )
        eventually(
            lambda: status(container, prompt_id) == "sending", 60, lambda: first.output()[-3000:]
        )
        first.kill()  # inside mailer.send: the claim is recorded, the email is not
        fakes.post("/_control/sendgrid", json={"fail_next": 0, "delay": 0})

        second = Worker(worker_env, tmp_path / "worker2.log")
        redelivered = eventually(
            lambda: "esm.send_prompt" in second.output() and "'skipped'" in second.output(),
            60,
            lambda: second.output()[-3000:],  # type: ignore[union-attr]
        )
        assert redelivered
        assert status(container, prompt_id) == "sending"
    finally:
        first.stop()
        if second is not None:
            second.stop()
        fakes.post("/_control/sendgrid", json={"fail_next": 0, "delay": 0})

    after_lease = FakeClock(datetime.now(UTC) + timedelta(minutes=6))
    mailer = SendGridMailer("SG.test", fakes_url, "no-reply@kairos.local", timeout=5.0)
    with controlled(container, after_lease, mailer):
        assert container.esm.send_prompt(prompt_id, mailer, "http://testserver") == "sent"
        assert container.esm.send_prompt(prompt_id, mailer, "http://testserver") == "skipped"
    received = fakes.get("/_mailbox", params={"to": email}).json()
    assert len(received) == 1
    assert received[0]["custom_args"]["prompt_id"] == str(prompt_id)
