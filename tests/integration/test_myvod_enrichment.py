"""Enrichment through the outbox: at-least-once delivery with one effect, retries on
upstream 429/5xx, 404 marks a title unknown, and the refresh tick's order and budget."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from uuid import uuid4

import httpx
from celery.signals import task_postrun

from application.myvod.queries import due_for_refresh
from domain.myvod.ids import title_id_for
from domain.myvod.title import Title
from infrastructure.bootstrap import Container
from interfaces.tasks import myvod as tasks
from interfaces.tasks import runtime
from tests.support import myvod as support
from tests.support.myvod import catalogue_movies
from tests.support.polling import eventually
from tests.support.system import running_projector
from tests.support.worker import running_worker

myvod_container = support.myvod_container
control = support.control


@contextmanager
def finished_tasks() -> Iterator[list[tuple[str, str, Any]]]:
    """Records (task name, state, return value) of every task run by the in-process worker."""
    seen: list[tuple[str, str, Any]] = []
    lock = threading.Lock()

    def record(sender: Any = None, state: str = "", retval: Any = None, **_: Any) -> None:
        with lock:
            seen.append((getattr(sender, "name", ""), state, retval))

    task_postrun.connect(record, weak=False)
    try:
        yield seen
    finally:
        task_postrun.disconnect(record)


def ran(seen: list[tuple[str, str, Any]], name: str, state: str = "SUCCESS") -> list[Any]:
    return [r for n, s, r in list(seen) if n == name and s == state]


def new_title(container: Container, index: int) -> tuple[int, Any]:
    movie = catalogue_movies()[index]
    account_id, _ = container.identity.register(
        f"enrich-{uuid4().hex[:12]}@example.com", "a long enough password"
    )
    container.myvod.add_title(account_id, tmdb_id=movie["id"])
    return movie["id"], title_id_for(movie["id"])


def events_of(container: Container, title_id: Any, kind: type) -> list[Any]:
    return [e for e in container.myvod.repository.event_store.get(title_id) if isinstance(e, kind)]


def test_enrichment_published_twice_enriches_once(myvod_container: Container) -> None:
    c = myvod_container
    _, title_id = new_title(c, 10)
    kwargs = {"title_id": str(title_id), "event_id": "test:1"}
    with finished_tasks() as seen, running_worker(c) as publisher:
        for task in ("myvod.enrich_title", "myvod.check_availability"):
            publisher.publish(task, kwargs, f"myvod:dup:{task}")
            publisher.publish(task, kwargs, f"myvod:dup:{task}")
        eventually(lambda: len(ran(seen, "myvod.enrich_title")) == 2)
        eventually(lambda: len(ran(seen, "myvod.check_availability")) == 2)
    assert sorted(ran(seen, "myvod.enrich_title")) == ["already enriched", "enriched"]
    assert len(events_of(c, title_id, Title.Enriched)) == 1
    checks = events_of(c, title_id, Title.AvailabilityChanged) + events_of(
        c, title_id, Title.AvailabilityChecked
    )
    assert len(checks) == 1


def test_upstream_500_is_retried_until_enriched(
    myvod_container: Container, control: httpx.Client
) -> None:
    c = myvod_container
    _, title_id = new_title(c, 11)
    control.post("/_control/tmdb", json={"fail_next": 2, "status": 500})
    with finished_tasks() as seen, running_worker(c) as publisher:
        publisher.publish("myvod.enrich_title", {"title_id": str(title_id)}, f"t-{uuid4()}")
        eventually(lambda: ran(seen, "myvod.enrich_title"), timeout=30)
    assert ran(seen, "myvod.enrich_title") == ["enriched"]
    assert len(ran(seen, "myvod.enrich_title", "RETRY")) == 2
    assert c.myvod.repository.get(title_id).status == "ready"


def test_watchmode_429_with_retry_after_is_waited_out(
    myvod_container: Container, control: httpx.Client
) -> None:
    c = myvod_container
    _, title_id = new_title(c, 12)
    control.post("/_control/watchmode", json={"fail_next": 1, "status": 429, "retry_after": 1})
    before = control.get("/_control/calls").json()["watchmode"]
    assert c.myvod.refresh_availability(title_id, initial_only=True) in ("initial", "unchanged")
    # search (429, then again after Retry-After) + sources
    assert control.get("/_control/calls").json()["watchmode"] - before == 3


def test_tmdb_429_becomes_a_task_retry(myvod_container: Container, control: httpx.Client) -> None:
    c = myvod_container
    _, title_id = new_title(c, 13)
    control.post("/_control/tmdb", json={"fail_next": 1, "status": 429})
    runtime.set_container(c)
    try:
        try:
            tasks.enrich_title.run(title_id=str(title_id))
        except tasks.TransientTaskError as error:
            assert "429" in str(error)
        else:
            raise AssertionError("a 429 must raise TransientTaskError")
        assert tasks.enrich_title.run(title_id=str(title_id)) == "enriched"
    finally:
        runtime.set_container(None)


def test_unknown_tmdb_id_is_marked_unknown_visibly(myvod_container: Container) -> None:
    c = myvod_container
    account_id, _ = c.identity.register(f"u-{uuid4().hex[:12]}@example.com", "long password 1")
    tmdb_id, _ = c.myvod.add_title(account_id, tmdb_id=987654321)
    assert c.myvod.enrich_title(title_id_for(tmdb_id)) == "unknown"
    with running_projector(c):
        from application.myvod.queries import watchlist_view

        item = eventually(
            lambda: [
                i
                for i in watchlist_view(c.database, account_id)["items"]
                if i["metadata"] == "unknown"
            ]
        )[0]
    assert item["tmdb_id"] == 987654321 and item["title"] is None


def test_refresh_tick_retries_enrichment_that_failed_for_good(
    myvod_container: Container,
) -> None:
    c = myvod_container
    _, title_id = new_title(c, 14)  # registered, never enriched (its task was dead-lettered)
    settings = c.settings
    c.settings = settings.model_copy(update={"myvod_refresh_after_seconds": 0})
    runtime.set_container(c)
    try:
        with running_projector(c):
            eventually(
                lambda: c.database.fetch_one(
                    "SELECT 1 FROM read.myvod_titles WHERE title_id = %s", (title_id,)
                )
            )
            tasks.refresh_availability.run(interval=1000.0)
    finally:
        runtime.set_container(None)
        c.settings = settings
    title = c.myvod.repository.get(title_id)
    assert title.status == "ready" and title.checked_at is not None


def test_refresh_tick_rechecks_oldest_titles_first_within_budget(
    myvod_container: Container,
) -> None:
    c = myvod_container
    ids = [new_title(c, i)[1] for i in (20, 21)]
    for title_id in ids:
        c.myvod.refresh_availability(title_id)
    with running_projector(c):
        eventually(
            lambda: (
                len(
                    c.database.fetch_all(
                        "SELECT 1 FROM read.myvod_titles WHERE title_id = ANY(%s)"
                        " AND checked_at IS NOT NULL",
                        (ids,),
                    )
                )
                == 2
            )
        )
        due = due_for_refresh(c.database, 0, 10000)
        checked = [
            r["checked_at"]
            for r in c.database.fetch_all(
                "SELECT checked_at FROM read.myvod_titles WHERE title_id = ANY(%s)",
                ([r["title_id"] for r in due],),
            )
        ]
        order = [r["title_id"] for r in due]
        assert order.index(ids[0]) < order.index(ids[1])
        assert checked
        assert tasks.refresh_budget(10, 120) == 10
        settings = c.settings
        c.settings = settings.model_copy(update={"myvod_refresh_after_seconds": 0})
        runtime.set_container(c)
        try:
            counts = tasks.refresh_availability.run(interval=1.0)
        finally:
            runtime.set_container(None)
            c.settings = settings
        assert counts["checked"] >= 1
