"""Vendors that stay down: the local SendGrid and TMDB fakes answer 503 to every call. The
real tasks (welcome email, title enrichment), run by a real worker, retry a bounded number of
times with backoff and end as one dead letter visible to operators, with no effect half-done.

Retries are shortened for CI (max_retries 1 instead of 5; the backoff is the product's).
Temporary failures that recover are covered by the owners' tests (docs/reliability.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from uuid import uuid4

import httpx
import pytest

from infrastructure.bootstrap import Container, bootstrap
from infrastructure.settings import Settings
from interfaces.tasks import identity as identity_tasks
from interfaces.tasks import myvod as myvod_tasks
from tests.support.myvod import catalogue_movies, fake_settings
from tests.support.polling import eventually
from tests.support.worker import running_worker

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def vendors_down(settings: Settings, fakes_url: str) -> Iterator[Container]:
    container = bootstrap(
        fake_settings(settings, fakes_url, sendgrid_host=fakes_url, sendgrid_api_key="SG.test")
    )
    yield container
    container.close()


@contextmanager
def failing(fakes_url: str, vendor: str) -> Iterator[None]:
    with httpx.Client(base_url=fakes_url, timeout=10) as control:
        control.post(f"/_control/{vendor}", json={"fail_next": 1000, "status": 503})
        try:
            yield
        finally:
            control.post(f"/_control/{vendor}", json={"fail_next": 0})


@contextmanager
def fewer_retries(task: Any, retries: int = 1) -> Iterator[None]:
    saved = task.max_retries
    task.max_retries = retries
    try:
        yield
    finally:
        task.max_retries = saved


def dead_letter(container: Container, task_id: str) -> dict[str, Any] | None:
    return container.database.fetch_one(
        "SELECT task_name, attempts, error FROM app.dead_letters WHERE task_id = %s", (task_id,)
    )


def test_sendgrid_down_ends_in_one_dead_letter_and_no_email(
    vendors_down: Container, fakes_url: str
) -> None:
    c = vendors_down
    email = f"down-{uuid4().hex[:8]}@example.com"
    account_id, position = c.identity.register(email, "a long enough password")
    task_id = f"identity:{position}:identity.send_welcome_email:{uuid4().hex[:6]}"
    kwargs = {"account_id": str(account_id), "event_id": task_id}
    with (
        failing(fakes_url, "sendgrid"),
        fewer_retries(identity_tasks.send_welcome_email),
        running_worker(c) as publisher,
    ):
        publisher.publish("identity.send_welcome_email", kwargs, task_id)
        letter = eventually(lambda: dead_letter(c, task_id), 60, "a dead letter")
    assert letter["task_name"] == "identity.send_welcome_email"
    assert letter["attempts"] == 2  # the try and one retry
    assert email not in letter["error"]
    with httpx.Client(base_url=fakes_url) as mailbox:
        assert mailbox.get("/_mailbox", params={"to": email}).json() == []
    claim = c.database.fetch_one(
        "SELECT count(*) AS n FROM app.task_effects WHERE effect_key = %s",
        (f"welcome:{account_id}",),
    )
    assert claim == {"n": 0}, "the claim rolled back, so replaying the letter can still send"


def test_tmdb_down_ends_in_one_dead_letter_and_the_title_stays_pending(
    vendors_down: Container, fakes_url: str
) -> None:
    c = vendors_down
    from domain.myvod.ids import title_id_for

    # A film no earlier test of the session put on a list (an enriched title is not
    # enriched again, so it would never fail).
    movie = next(
        m for m in catalogue_movies()[40:] if c.myvod.get_or_none(title_id_for(m["id"])) is None
    )
    account_id, _ = c.identity.register(
        f"tmdb-down-{uuid4().hex[:8]}@example.com", "a long enough password"
    )
    with failing(fakes_url, "tmdb"):
        c.myvod.add_title(account_id, tmdb_id=movie["id"])
        from domain.myvod.ids import title_id_for

        title_id = title_id_for(movie["id"])
        task_id = f"enrich-{uuid4().hex[:8]}"
        with fewer_retries(myvod_tasks.enrich_title), running_worker(c) as publisher:
            publisher.publish("myvod.enrich_title", {"title_id": str(title_id)}, task_id)
            letter = eventually(lambda: dead_letter(c, task_id), 60, "a dead letter")
    assert letter["task_name"] == "myvod.enrich_title"
    assert letter["attempts"] == 2
    assert c.myvod.repository.get(title_id).status == "pending"
