"""The group-commit recorder shares one transaction between concurrent appends, yet each
caller keeps the stock contract: its own notification ids, or its own error."""

from __future__ import annotations

import threading
from uuid import uuid4

import psycopg
import pytest
from eventsourcing.persistence import IntegrityError
from psycopg import sql

from domain.shared.errors import ConcurrencyError
from infrastructure.postgres.group_commit import GroupCommitApplicationRecorder
from tests.integration.test_gapless import (
    DEADLINE,
    Probe,
    probe_application,
    recorder,
    stored,
    table,
    unique_name,
    waiting_on_lock,
)
from tests.support.polling import eventually


def test_a_conflicting_request_in_a_group_fails_alone_and_the_others_commit(
    postgres_url: str,
) -> None:
    name = unique_name("group")
    taken = uuid4()
    with recorder(postgres_url, name) as grouped:
        assert isinstance(grouped, GroupCommitApplicationRecorder)
        grouped.max_leaders = 1  # one group at a time, so the grouping below is deterministic
        [existing] = grouped.insert_events([stored(taken, 1)])
        outcomes: dict[str, object] = {}

        def append(key: str, events: list) -> None:
            try:
                outcomes[key] = list(grouped.insert_events(events) or [])
            except Exception as error:  # the outcome under test
                outcomes[key] = error

        blocker = psycopg.connect(postgres_url)  # holds the table lock so requests queue
        try:
            blocker.execute(sql.SQL("LOCK TABLE {} IN EXCLUSIVE MODE").format(table(name)))
            first = threading.Thread(target=append, args=("first", [stored(uuid4(), 1)]))
            first.start()  # becomes the leader of a group of one, waiting on the lock
            lock_waited = lambda: waiting_on_lock(postgres_url, name) > 0  # noqa: E731
            eventually(lock_waited, DEADLINE, "the first leader")
            others = {f"ok{i}": [stored(uuid4(), 1), stored(uuid4(), 1)] for i in range(5)}
            others["conflict"] = [stored(taken, 1)]
            threads = [
                threading.Thread(target=append, args=(key, events))
                for key, events in others.items()
            ]
            for thread in threads:
                thread.start()
            queued = lambda: grouped.pending_count == len(others)  # noqa: E731
            eventually(queued, DEADLINE, "the next group to queue")
            groups_before = grouped.groups_committed
            blocker.commit()
        finally:
            blocker.close()
        for thread in [first, *threads]:
            thread.join(DEADLINE)

        assert isinstance(outcomes["conflict"], IntegrityError)
        committed = [outcomes[key] for key in ["first", *(f"ok{i}" for i in range(5))]]
        assert all(isinstance(ids, list) and ids for ids in committed)
        assert grouped.groups_committed == groups_before + 2  # first alone, then the rest
        ids = [i for group in committed for i in group]  # type: ignore[union-attr]
        stored_ids = [n.id for n in grouped.select_notifications(start=existing + 1, limit=100)]
        assert sorted(ids) == stored_ids
        for key in (f"ok{i}" for i in range(5)):
            pair = outcomes[key]
            assert isinstance(pair, list) and pair[1] == pair[0] + 1


def test_application_save_returns_recordings_and_maps_a_conflict_to_concurrency_error(
    postgres_url: str,
) -> None:
    app = probe_application(postgres_url)
    try:
        assert isinstance(app.recorder, GroupCommitApplicationRecorder)
        probe = Probe("one")
        recordings = app.save(probe)
        assert [r.domain_event.originator_id for r in recordings] == [probe.id]
        [notification] = app.recorder.select_notifications(
            start=recordings[0].notification.id, limit=1
        )
        assert notification.originator_id == probe.id
        fresh, stale = app.repository.get(probe.id), app.repository.get(probe.id)
        fresh.rename("two")
        app.save(fresh)
        stale.rename("three")  # the same version as "two", already stored
        with pytest.raises(ConcurrencyError):
            app.save(stale)
        assert app.save_and_position() == 0  # nothing to save: no transaction, no id
    finally:
        app.close()
