"""A gapless application recorder that commits concurrent appends together.

The stock `PostgresApplicationRecorder` holds `LOCK TABLE ... IN EXCLUSIVE MODE` from its
insert through its commit, so that commit order equals notification-id order and a reader
tailing `notification_id > last_seen` can never pass over a lower id that commits later
(guarantee G3). The price is one fsync'd transaction per append, one at a time, per table.

This recorder keeps that lock protocol but shares each transaction between every append
waiting in the process ("group commit"): callers queue their request; the first waiting
caller becomes the leader, takes all pending requests, and in ONE transaction locks the
table, inserts them (one multi-row INSERT, each request's rows contiguous, in queue order),
sends one NOTIFY and commits. Each caller then gets its own notification ids back.

A request that violates the (originator_id, originator_version) key must fail alone: when
the combined INSERT hits an IntegrityError, the leader redoes the group in a new transaction
with one SAVEPOINT per request; the conflicting request gets its IntegrityError, the others
commit. (The aborted attempt consumed sequence values: gaps are allowed, reordering is not.)
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import psycopg
from eventsourcing.persistence import (
    IntegrityError,
    InterfaceError,
    OperationalError,
    PersistenceError,
    StoredEvent,
)
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.utils import retry
from psycopg.pq import TransactionStatus
from psycopg.sql import SQL, Identifier

_BEGIN, _COMMIT, _ROLLBACK = SQL("BEGIN"), SQL("COMMIT"), SQL("ROLLBACK")
MAX_GROUP_EVENTS = 5000
"""Upper bound of rows per shared transaction (a larger request still goes alone)."""


@dataclass(eq=False)
class _Request:
    stored_events: Sequence[StoredEvent]
    kwargs: dict[str, Any]
    wake: threading.Event = field(default_factory=threading.Event)
    leader: bool = False
    done: bool = False
    notification_ids: list[int] = field(default_factory=list)
    error: BaseException | None = None


class GroupCommitApplicationRecorder(PostgresApplicationRecorder):
    """Drop-in `APPLICATION_RECORDER_TOPIC` for eventsourcing's Postgres factory."""

    max_leaders = 2
    """Groups in flight at once, each on its own connection. The second one waits for the
    table lock inside PostgreSQL and goes the moment the first commits, so the fsync of one
    overlaps the round trip and Python work of the next. Order is still the lock's order."""

    linger_seconds = 0.001
    """Longest a leader waits for company (only when the last group had some); 0 = never."""

    def __init__(
        self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"
    ) -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        self._mutex = threading.Lock()
        self._pending: list[_Request] = []
        self._leaders = 0
        self._last_group_size = 1
        self._notify_statement = SQL("NOTIFY {0}").format(Identifier(self.channel_name))
        self._insert_arrays_statement = SQL(
            "INSERT INTO {schema}.{table} (originator_id, originator_version, topic, state)"
            " SELECT * FROM unnest(%b::{id_type}[], %b::int8[], %b::text[], %b::bytea[])"
            " RETURNING notification_id"
        ).format(
            schema=Identifier(self.datastore.schema),
            table=Identifier(self.events_table_name),
            id_type=SQL(self.datastore.originator_id_type),
        )
        self.groups_committed = 0
        """How many shared transactions committed (for benchmarks and tests)."""

    @property
    def pending_count(self) -> int:
        """Requests queued behind the current leader."""
        with self._mutex:
            return len(self._pending)

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        if not stored_events:
            return super().insert_events(stored_events, **kwargs)
        request = _Request(stored_events, kwargs)
        with self._mutex:
            self._pending.append(request)
            leads = self._leaders < self.max_leaders
            if leads:
                self._leaders += 1
                request.leader = True
        if not leads:
            request.wake.wait()  # set when committed, or when handed the leadership
        if not request.done:
            self._lead(request)
        if request.error is not None:
            raise _copy(request.error)
        return request.notification_ids

    # -- coordination ----------------------------------------------------------------
    def _lead(self, request: _Request) -> None:
        """Commits this caller's request with every request queued behind it, then wakes
        their callers and hands the leadership to the oldest request still queued (only the
        threads that have something to do wake up)."""
        self._linger()
        with self._mutex:
            self._pending.remove(request)
            batch, size, waiting = [request], len(request.stored_events), []
            for queued in self._pending:
                if queued.leader or size + len(queued.stored_events) > MAX_GROUP_EVENTS:
                    waiting.append(queued)  # another leader's own request stays its own
                else:
                    batch.append(queued)
                    size += len(queued.stored_events)
            self._pending = waiting
        self._last_group_size = len(batch)
        successor: _Request | None = None
        try:
            self._commit(batch)
        finally:
            with self._mutex:
                for member in batch:
                    member.done = True
                successor = next((r for r in self._pending if not r.leader), None)
                if successor is None:
                    self._leaders -= 1
                else:
                    successor.leader = True
            for member in batch[1:]:
                member.wake.set()
            if successor is not None:
                successor.wake.set()

    def _linger(self) -> None:
        """Under concurrency (the last group had company), waits up to `linger_seconds` while
        the queue is still growing towards the last group's size: the callers just released
        are about to append again, and one fsync for all of them beats two for halves.
        A lone writer never waits."""
        target = self._last_group_size
        if target <= 1 or self.linger_seconds <= 0:
            return
        deadline = time.perf_counter() + self.linger_seconds
        previous = -1
        while (queued := len(self._pending)) < target and queued != previous:
            if time.perf_counter() >= deadline:
                return
            previous = queued
            time.sleep(self.linger_seconds / 5)

    def _commit(self, batch: list[_Request]) -> None:
        try:
            try:
                self._commit_together(batch)
            except IntegrityError:
                for member in batch:
                    member.notification_ids = []
                self._commit_isolated(batch)
            with self._mutex:
                self.groups_committed += 1
        except BaseException as error:  # the whole group failed: every caller sees it
            for member in batch:
                if member.error is None:
                    member.error = error

    # -- the shared transaction ---------------------------------------------------------
    def _commit_together(self, batch: list[_Request]) -> None:
        """One transaction, one INSERT of every request's rows in queue order, sent with the
        COMMIT in one pipeline: a single round trip to the server."""
        rows = [event for request in batch for event in request.stored_events]
        ids: list[int] = []
        with self.datastore.get_connection() as conn:
            try:
                with conn.pipeline() as pipeline, conn.cursor() as curs:
                    curs.execute(_BEGIN)
                    for request in batch:
                        self._insert_events(curs, request.stored_events, **request.kwargs)
                    self._lock_table(curs)
                    curs.execute(self._notify_statement)
                    with conn.cursor() as insert:
                        self._insert_rows(insert, rows)
                        curs.execute(_COMMIT)
                        pipeline.sync()
                        ids = [row["notification_id"] for row in insert.fetchall()]
            except BaseException:
                if conn.info.transaction_status != TransactionStatus.IDLE:
                    with contextlib.suppress(psycopg.Error):
                        conn.execute(_ROLLBACK)
                raise
        if len(ids) != len(rows):
            raise PersistenceError(f"expected {len(rows)} notification ids, got {len(ids)}")
        offset = 0
        for request in batch:
            count = len(request.stored_events)
            request.notification_ids = ids[offset : offset + count]
            offset += count

    def _commit_isolated(self, batch: list[_Request]) -> None:
        """The group again, each request in its own savepoint: a conflict fails alone."""
        with self.datastore.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
            self._lock_table(curs)
            for request in batch:
                try:
                    with conn.transaction():  # a SAVEPOINT inside the outer transaction
                        self._insert_events(curs, request.stored_events, **request.kwargs)
                        self._insert_rows(curs, request.stored_events)
                        request.notification_ids = [
                            row["notification_id"] for row in curs.fetchall()
                        ]
                except psycopg.IntegrityError as error:
                    request.notification_ids = []
                    failure = IntegrityError(str(error))
                    failure.__cause__ = error
                    request.error = failure
            curs.execute(self._notify_statement)

    def _insert_rows(self, curs: Any, stored_events: Sequence[StoredEvent]) -> None:
        """One INSERT from four parallel arrays (dumped in binary), rows in request order.
        The stock statement sends an array of a composite type, which psycopg escapes as
        text row by row: several times slower for large groups."""
        curs.execute(
            self._insert_arrays_statement,
            (
                [e.originator_id for e in stored_events],
                [e.originator_version for e in stored_events],
                [e.topic for e in stored_events],
                [e.state for e in stored_events],
            ),
        )


def _copy(error: BaseException) -> BaseException:
    """A fresh exception per caller (one shared instance would share one traceback)."""
    try:
        clone = type(error)(*error.args)
    except Exception:  # an exception type with an unusual constructor
        return error
    clone.__cause__ = error
    return clone
