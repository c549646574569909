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

import threading
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
from psycopg.sql import SQL, Identifier

MAX_GROUP_EVENTS = 5000
"""Upper bound of rows per shared transaction (a larger request still goes alone)."""


@dataclass(eq=False)
class _Request:
    stored_events: Sequence[StoredEvent]
    kwargs: dict[str, Any]
    done: bool = False
    notification_ids: list[int] = field(default_factory=list)
    error: BaseException | None = None


class GroupCommitApplicationRecorder(PostgresApplicationRecorder):
    """Drop-in `APPLICATION_RECORDER_TOPIC` for eventsourcing's Postgres factory."""

    def __init__(
        self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"
    ) -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        self._condition = threading.Condition()
        self._pending: list[_Request] = []
        self._leader_active = False
        self._notify_statement = SQL("NOTIFY {0}").format(Identifier(self.channel_name))
        self.groups_committed = 0
        """How many shared transactions committed (for benchmarks and tests)."""

    @property
    def pending_count(self) -> int:
        """Requests queued behind the current leader."""
        with self._condition:
            return len(self._pending)

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        if not stored_events:
            return super().insert_events(stored_events, **kwargs)
        request = _Request(stored_events, kwargs)
        with self._condition:
            self._pending.append(request)
        while (batch := self._next_batch(request)) is not None:
            self._commit(batch)
        if request.error is not None:
            raise _copy(request.error)
        return request.notification_ids

    # -- coordination ----------------------------------------------------------------
    def _next_batch(self, request: _Request) -> list[_Request] | None:
        """Waits while another caller leads; returns None once the request is done, else
        makes this caller the leader and returns the pending requests it must commit (its
        own request may be left for the next group when the queue is long)."""
        with self._condition:
            while self._leader_active and not request.done:
                self._condition.wait()
            if request.done:
                return None
            self._leader_active = True
            batch, size = [], 0
            while self._pending and (
                not batch or size + len(self._pending[0].stored_events) <= MAX_GROUP_EVENTS
            ):
                taken = self._pending.pop(0)
                batch.append(taken)
                size += len(taken.stored_events)
            return batch

    def _commit(self, batch: list[_Request]) -> None:
        try:
            try:
                self._commit_together(batch)
            except IntegrityError:
                for request in batch:
                    request.notification_ids = []
                self._commit_isolated(batch)
            self.groups_committed += 1
        except BaseException as error:  # the whole group failed: every caller sees it
            for request in batch:
                if request.error is None:
                    request.error = error
        finally:
            with self._condition:
                for request in batch:
                    request.done = True
                self._leader_active = False
                self._condition.notify_all()

    # -- the shared transaction ---------------------------------------------------------
    def _commit_together(self, batch: list[_Request]) -> None:
        """One transaction, one INSERT of every request's rows in queue order."""
        rows = [event for request in batch for event in request.stored_events]
        exc: Exception | None = None
        with self.datastore.get_connection() as conn:
            with conn.pipeline() as pipeline, conn.transaction():
                with conn.cursor() as curs:
                    for request in batch:
                        self._insert_events(curs, request.stored_events, **request.kwargs)
                with conn.cursor() as curs:
                    try:
                        self._lock_table(curs)
                        curs.execute(self._notify_statement)
                        self._insert_rows(curs, rows)
                        pipeline.sync()
                        ids = [row["notification_id"] for row in curs.fetchall()]
                    except Exception as error:
                        exc = error
            if exc:
                raise exc
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
        pg_stored_events = [
            self.construct_pg_stored_event(e.originator_id, e.originator_version, e.topic, e.state)
            for e in stored_events
        ]
        curs.execute(self.insert_events_statement, (pg_stored_events,))


def _copy(error: BaseException) -> BaseException:
    """A fresh exception per caller (one shared instance would share one traceback)."""
    try:
        clone = type(error)(*error.args)
    except Exception:  # an exception type with an unusual constructor
        return error
    clone.__cause__ = error
    return clone
