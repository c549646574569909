"""G3: a reader tailing the notification log never skips an event that commits late, with
the group-commit recorder (and the stock recorder writing to the same table)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID, uuid4

import psycopg
import pytest
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import ApplicationRecorder, InfrastructureFactory, StoredEvent
from eventsourcing.utils import Environment
from psycopg import sql

from application.shared.app import KairosApplication
from application.shared.projection import Position, Projection
from infrastructure.postgres.database import Database, connect_pool
from infrastructure.postgres.eventstore import (
    EVENTS_SCHEMA,
    GROUP_COMMIT_RECORDER,
    event_store_env,
)
from infrastructure.postgres.group_commit import GroupCommitApplicationRecorder
from infrastructure.postgres.projector import Projector
from tests.support.polling import eventually

DEADLINE = 30.0


def unique_name(prefix: str) -> str:
    return f"{prefix}{uuid4().hex[:10]}"


@contextmanager
def recorder(
    postgres_url: str, name: str, *, group_commit: bool = True, pool_size: int = 4
) -> Iterator[Any]:
    env = event_store_env(postgres_url, pool_size=pool_size, max_overflow=16)
    env["CREATE_TABLE"] = "y"  # a table of its own, created here
    if group_commit:
        env["APPLICATION_RECORDER_TOPIC"] = GROUP_COMMIT_RECORDER
    else:
        env.pop("APPLICATION_RECORDER_TOPIC", None)
    factory = InfrastructureFactory.construct(Environment(name, env))
    try:
        yield factory.application_recorder()
    finally:
        factory.close()


def stored(originator_id: UUID, version: int, topic: str = "test:Happened") -> StoredEvent:
    return StoredEvent(originator_id, version, topic, b"{}")


def table(name: str) -> sql.Composed:
    return sql.SQL("{}.{}").format(sql.Identifier(EVENTS_SCHEMA), sql.Identifier(f"{name}_events"))


def waiting_on_lock(postgres_url: str, name: str) -> int:
    """How many sessions wait for a lock on the events table right now."""
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
            " WHERE c.relname = %s AND NOT l.granted",
            (f"{name}_events",),
        ).fetchone()
    return int(row[0]) if row else 0


class Tail:
    """A projector-style reader: select_notifications from last + 1, recording every id."""

    def __init__(self, reader: ApplicationRecorder) -> None:
        self.reader = reader
        self.seen: list[int] = []

    def poll(self) -> list[int]:
        start = (self.seen[-1] if self.seen else 0) + 1
        batch = [n.id for n in self.reader.select_notifications(start=start, limit=500)]
        self.seen.extend(batch)
        return batch


def test_concurrent_writers_get_contiguous_ids_and_a_live_reader_sees_each_once_in_order(
    postgres_url: str,
) -> None:
    name = unique_name("gapless")
    threads, requests, per_request = 16, 40, 3
    results: dict[int, list[list[int]]] = {t: [] for t in range(threads)}
    sent: dict[UUID, list[int]] = {}
    errors: list[BaseException] = []
    done = threading.Event()
    with (
        recorder(postgres_url, name) as grouped,
        recorder(postgres_url, name, group_commit=False) as stock,
    ):
        assert isinstance(grouped, GroupCommitApplicationRecorder)

        def write(t: int) -> None:
            # 12 threads share the group-commit recorder; 4 use the stock recorder on the
            # same table, like another process would: both obey the same lock protocol.
            target = stock if t >= 12 else grouped
            try:
                for _ in range(requests):
                    oid = uuid4()
                    ids = target.insert_events([stored(oid, v) for v in range(1, per_request + 1)])
                    results[t].append(list(ids or []))
                    sent[oid] = list(ids or [])
            except BaseException as error:  # reported by the main thread
                errors.append(error)

        tail = Tail(grouped)
        workers = [threading.Thread(target=write, args=(t,)) for t in range(threads)]
        for worker in workers:
            worker.start()
        reader = threading.Thread(target=lambda: _tail_until(tail, done), daemon=True)
        reader.start()
        for worker in workers:
            worker.join(DEADLINE * 4)
        done.set()
        reader.join(DEADLINE)

        assert not errors
        written = [ids for per_thread in results.values() for ids in per_thread]
        assert len(written) == threads * requests
        for ids in written:  # every request got all its ids, contiguous: no interleaving
            assert len(ids) == per_request
            assert ids == list(range(ids[0], ids[0] + per_request))
        everything = sorted(i for ids in written for i in ids)
        assert len(set(everything)) == len(everything)
        # The live reader saw each id exactly once, in ascending order, and missed none.
        assert tail.seen == everything
        # Each id holds the event it was returned for (version v at the request's v-th id).
        stored_at = {
            n.id: (n.originator_id, n.originator_version)
            for n in grouped.select_notifications(start=1, limit=len(everything) + 10)
        }
        for oid, ids in sent.items():
            assert [stored_at[i] for i in ids] == [(oid, v) for v in range(1, per_request + 1)]
        assert grouped.groups_committed > 0


def _tail_until(tail: Tail, done: threading.Event) -> None:
    while True:
        finished = done.is_set()  # read before polling, so the last poll sees everything
        batch = tail.poll()
        if finished and not batch:
            return
        if not batch:
            time.sleep(0.001)


@pytest.mark.parametrize("slow_uses_lock", [True, False], ids=["locking", "plain-insert"])
def test_a_reader_never_passes_a_slow_transaction_holding_a_lower_id(
    postgres_url: str, slow_uses_lock: bool
) -> None:
    """Usain Bolt: A takes a low id and stays open; B appends meanwhile. B cannot commit
    before A (it waits for A's lock), so the reader never sees B's id while A's is missing."""
    name = unique_name("bolt")
    with recorder(postgres_url, name) as grouped:
        tail = Tail(grouped)
        slow = psycopg.connect(postgres_url)  # not autocommit: holds its transaction
        try:
            if slow_uses_lock:
                slow.execute(sql.SQL("LOCK TABLE {} IN EXCLUSIVE MODE").format(table(name)))
            slow_id = slow.execute(
                sql.SQL(
                    "INSERT INTO {} (originator_id, originator_version, topic, state)"
                    " VALUES (%s, 1, 'test:Slow', '') RETURNING notification_id"
                ).format(table(name)),
                (uuid4(),),
            ).fetchone()[0]
            fast_ids: list[int] = []
            fast = threading.Thread(
                target=lambda: fast_ids.extend(grouped.insert_events([stored(uuid4(), 1)]))
            )
            fast.start()
            eventually(lambda: waiting_on_lock(postgres_url, name) > 0, DEADLINE, "B to wait on A")
            assert tail.poll() == []  # nothing visible: A is open, B is queued behind it
            assert fast.is_alive() and not fast_ids
            slow.commit()
        finally:
            slow.close()
        fast.join(DEADLINE)
        assert fast_ids and fast_ids[0] > slow_id
        eventually(lambda: bool(tail.poll()) or len(tail.seen) >= 2, DEADLINE, "both events")
        tail.poll()
        assert tail.seen == [slow_id, fast_ids[0]]


class Probe(Aggregate):
    @event("Created")
    def __init__(self, label: str) -> None:
        self.label = label

    @event("Renamed")
    def rename(self, label: str) -> None:
        self.label = label


class ProbeApplication(KairosApplication):
    name = "gaplessprobe"


class ProbeProjection(Projection):
    name = "gapless_probe"
    applications = ("probe",)
    handles = (Probe.Created,)

    def __init__(self, table_name: str) -> None:
        self.table_name = table_name

    def apply(self, event: Any, cursor: Any, position: Position) -> None:
        cursor.execute(
            sql.SQL("INSERT INTO {} (notification_id, label) VALUES (%s, %s)").format(
                sql.Identifier(self.table_name)
            ),
            (position.notification_id, event.label),
        )


def probe_application(postgres_url: str) -> ProbeApplication:
    env = event_store_env(postgres_url) | {
        "APPLICATION_RECORDER_TOPIC": GROUP_COMMIT_RECORDER,
        "CREATE_TABLE": "y",
    }
    return ProbeApplication(env=env)


def test_a_rolled_back_insert_leaves_a_gap_that_the_projector_passes(postgres_url: str) -> None:
    name = unique_name("gap")
    view = f"view_{name}"
    app = probe_application(postgres_url)
    pool = connect_pool(postgres_url, max_size=2)
    try:
        with pool.connection() as conn:
            conn.execute(
                sql.SQL("CREATE TABLE {} (notification_id bigint PRIMARY KEY, label text)").format(
                    sql.Identifier(view)
                )
            )
        first = app.save_and_position(Probe("before"))
        with psycopg.connect(postgres_url) as rollback:  # consumes a sequence value
            rollback.execute(
                sql.SQL(
                    "INSERT INTO {} (originator_id, originator_version, topic, state)"
                    " VALUES (%s, 1, 'test:Lost', '')"
                ).format(table("gaplessprobe")),
                (uuid4(),),
            )
            rollback.rollback()
        second = app.save_and_position(Probe("after"))
        assert second > first + 1  # the gap

        projector = Projector(Database(pool), {"probe": app}, [ProbeProjection(view)])
        projector.catch_up(strict=True)
        rows = Database(pool).fetch_all(f'SELECT notification_id, label FROM "{view}" ORDER BY 1')
        assert rows == [
            {"notification_id": first, "label": "before"},
            {"notification_id": second, "label": "after"},
        ]
        assert Database(pool).position("gapless_probe", "probe") == second
    finally:
        with pool.connection() as conn:
            conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier(view)))
            conn.execute("DELETE FROM app.projection_positions WHERE projection = 'gapless_probe'")
        pool.close()
        app.close()
