"""Tamper evidence: the hash chain catches any edit, deletion, insertion or reorder of rows
in an events table. Each test tampers with the real table through SQL, checks that verify
reports it, then restores the original rows so the shared database stays intact."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from uuid import uuid4

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from application.audit.projections import HashChainProjection
from infrastructure.audit.verify_chain import verify_log
from infrastructure.bootstrap import Container
from infrastructure.postgres.projector import Projector

APP = "identity"
TABLE = "events.identity_events"


def chain_up_to_date(container: Container) -> None:
    Projector(container.database, container.applications, [HashChainProjection()]).catch_up()


@pytest.fixture(scope="module")
def chained(container: Container) -> list[int]:
    """A few accounts registered and chained; returns the chained notification ids."""
    for _ in range(4):
        container.identity.register(f"chain-{uuid4().hex}@example.com", "correct horse battery")
    chain_up_to_date(container)
    rows = container.database.fetch_all(f"SELECT notification_id FROM {TABLE} ORDER BY 1")
    return [int(r["notification_id"]) for r in rows]


def kinds(container: Container) -> list[str]:
    return [d.kind for d in verify_log(container.database.pool, APP).differences]


def row(container: Container, notification_id: int) -> dict[str, Any]:
    found = container.database.fetch_one(
        f"SELECT * FROM {TABLE} WHERE notification_id = %s", (notification_id,)
    )
    assert found is not None
    return found


@contextmanager
def deleted(container: Container, notification_id: int) -> Iterator[None]:
    saved = row(container, notification_id)
    container.database.execute(
        f"DELETE FROM {TABLE} WHERE notification_id = %s", (notification_id,)
    )
    try:
        yield
    finally:
        container.database.execute(
            f"INSERT INTO {TABLE} (originator_id, originator_version, topic, state,"
            " notification_id) VALUES (%(originator_id)s, %(originator_version)s, %(topic)s,"
            " %(state)s, %(notification_id)s)",
            saved,
        )


@contextmanager
def state_replaced(container: Container, notification_id: int, state: bytes) -> Iterator[None]:
    saved = bytes(row(container, notification_id)["state"])
    container.database.execute(
        f"UPDATE {TABLE} SET state = %s WHERE notification_id = %s", (state, notification_id)
    )
    try:
        yield
    finally:
        container.database.execute(
            f"UPDATE {TABLE} SET state = %s WHERE notification_id = %s", (saved, notification_id)
        )


def test_untouched_log_verifies_without_differences(
    container: Container, chained: list[int]
) -> None:
    report = verify_log(container.database.pool, APP)
    assert report.differences == []
    assert report.events_checked >= len(chained)
    assert report.heads[APP]["notification_id"] == chained[-1]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_single_byte_edit_of_a_stored_event_is_caught(
    container: Container, chained: list[int], data: st.DataObject
) -> None:
    notification_id = data.draw(st.sampled_from(chained))
    original = bytes(row(container, notification_id)["state"])
    offset = data.draw(st.integers(0, len(original) - 1))
    new_byte = data.draw(st.integers(0, 255).filter(lambda b: b != original[offset]))
    edited = original[:offset] + bytes([new_byte]) + original[offset + 1 :]
    with state_replaced(container, notification_id, edited):
        report = verify_log(container.database.pool, APP)
        assert next((d.kind, d.notification_id) for d in report.differences) == (
            "altered_event",
            notification_id,
        )
    assert kinds(container) == []


def test_deleting_an_event_in_the_middle_is_caught(
    container: Container, chained: list[int]
) -> None:
    middle = chained[len(chained) // 2]
    with deleted(container, middle):
        report = verify_log(container.database.pool, APP)
        assert ("missing_event", middle) in [
            (d.kind, d.notification_id) for d in report.differences
        ]
    assert kinds(container) == []


def test_deleting_the_last_event_is_caught_by_the_head(
    container: Container, chained: list[int]
) -> None:
    head = verify_log(container.database.pool, APP).heads[APP]["notification_id"]
    with deleted(container, head):
        found = kinds(container)
        assert "missing_event" in found
        assert "head_mismatch" in found
    assert kinds(container) == []


def test_deleting_the_last_event_and_its_link_is_still_caught_by_the_head(
    container: Container, chained: list[int]
) -> None:
    head = verify_log(container.database.pool, APP).heads[APP]["notification_id"]
    link = container.database.fetch_one(
        "SELECT * FROM audit.chain_links WHERE application = %s AND notification_id = %s",
        (APP, head),
    )
    with deleted(container, head):
        container.database.execute(
            "DELETE FROM audit.chain_links WHERE application = %s AND notification_id = %s",
            (APP, head),
        )
        try:
            assert "head_mismatch" in kinds(container)
        finally:
            container.database.execute(
                "INSERT INTO audit.chain_links VALUES (%(application)s, %(notification_id)s,"
                " %(originator_id)s, %(originator_version)s, %(topic)s, %(event_hash)s,"
                " %(link_hash)s)",
                link,
            )
    assert kinds(container) == []


def test_swapping_two_events_positions_is_caught(container: Container, chained: list[int]) -> None:
    a, b = chained[0], chained[1]

    def swap() -> None:
        container.database.execute(
            f"UPDATE {TABLE} SET notification_id = -1 WHERE notification_id = %s", (a,)
        )
        container.database.execute(
            f"UPDATE {TABLE} SET notification_id = %s WHERE notification_id = %s", (a, b)
        )
        container.database.execute(
            f"UPDATE {TABLE} SET notification_id = %s WHERE notification_id = -1", (b,)
        )

    swap()
    try:
        report = verify_log(container.database.pool, APP)
        found = {(d.kind, d.notification_id) for d in report.differences}
        assert {("reordered_event", a), ("reordered_event", b)} <= found
    finally:
        swap()
    assert kinds(container) == []


def test_an_event_slipped_into_a_gap_is_caught(container: Container, chained: list[int]) -> None:
    source = row(container, chained[0])
    forged = {**source, "originator_id": uuid4(), "originator_version": 1, "notification_id": -5}
    container.database.execute(
        f"INSERT INTO {TABLE} (originator_id, originator_version, topic, state, notification_id)"
        " VALUES (%(originator_id)s, %(originator_version)s, %(topic)s, %(state)s,"
        " %(notification_id)s)",
        forged,
    )
    try:
        assert "unchained_event" in kinds(container)
    finally:
        container.database.execute(f"DELETE FROM {TABLE} WHERE notification_id = -5")
    assert kinds(container) == []


def test_editing_a_stored_link_is_caught(container: Container, chained: list[int]) -> None:
    target = chained[1]
    container.database.execute(
        "UPDATE audit.chain_links SET event_hash = sha256(event_hash)"
        " WHERE application = %s AND notification_id = %s",
        (APP, target),
    )
    try:
        assert "broken_link" in kinds(container)
    finally:
        container.database.execute(
            "UPDATE audit.chain_links SET event_hash = %s WHERE application = %s"
            " AND notification_id = %s",
            (
                verify_event_hash(container, target),
                APP,
                target,
            ),
        )
    assert kinds(container) == []


def verify_event_hash(container: Container, notification_id: int) -> bytes:
    from application.audit.chain import StoredRow

    r = row(container, notification_id)
    return StoredRow(
        notification_id, r["originator_id"], r["originator_version"], r["topic"], bytes(r["state"])
    ).hash()


def test_chain_stays_correct_when_projector_instances_take_turns_and_after_a_rebuild(
    container: Container, chained: list[int]
) -> None:
    first = Projector(container.database, container.applications, [HashChainProjection()])
    second = Projector(container.database, container.applications, [HashChainProjection()])
    for projector in (first, second, first):
        container.identity.register(f"turns-{uuid4().hex}@example.com", "correct horse battery")
        projector.catch_up()
    assert kinds(container) == []
    first.rebuild("audit_chain")
    assert kinds(container) == []


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_deleting_any_event_is_caught(
    container: Container, chained: list[int], data: st.DataObject
) -> None:
    victim = data.draw(st.sampled_from(chained))
    with deleted(container, victim):
        report = verify_log(container.database.pool, APP)
        assert ("missing_event", victim) in [
            (d.kind, d.notification_id) for d in report.differences
        ]
    assert kinds(container) == []


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_swapping_the_contents_of_any_two_events_is_caught(
    container: Container, chained: list[int], data: st.DataObject
) -> None:
    a, b = data.draw(st.lists(st.sampled_from(chained), min_size=2, max_size=2, unique=True))
    first, second = row(container, a), row(container, b)

    def put(target: int, source: dict[str, Any]) -> None:
        container.database.execute(
            f"UPDATE {TABLE} SET originator_id = %s, originator_version = %s, topic = %s,"
            " state = %s WHERE notification_id = %s",
            (
                source["originator_id"],
                source["originator_version"],
                source["topic"],
                source["state"],
                target,
            ),
        )

    parked = {**first, "originator_id": uuid4()}
    put(a, parked)  # the primary key forbids two rows with one stream version at once
    put(b, first)
    put(a, second)
    try:
        found = {
            (d.kind, d.notification_id)
            for d in verify_log(container.database.pool, APP).differences
        }
        assert {("reordered_event", a), ("reordered_event", b)} <= found
    finally:
        put(a, parked)
        put(b, second)
        put(a, first)
    assert kinds(container) == []


def test_anchors_catch_a_log_that_was_altered_and_then_rechained(
    container: Container, chained: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from application.audit import projections

    monkeypatch.setattr(projections, "ANCHOR_EVERY", 2)  # anchors every 2 events, not 1,000
    projector = Projector(container.database, container.applications, [HashChainProjection()])
    projector.rebuild("audit_chain")
    assert kinds(container) == []
    target = chained[1]
    original = bytes(row(container, target)["state"])
    with state_replaced(container, target, original.replace(b"sealed", b"SEALED", 1)):
        projector.rebuild("audit_chain")  # whoever altered the log also re-chained it
        found = kinds(container)
        assert "altered_event" not in found  # the links agree with the altered log...
        assert "anchor_mismatch" in found  # ...but the append-only anchors do not
    projector.rebuild("audit_chain")
    assert kinds(container) == []
    # nobody can quietly rewrite the anchors themselves
    for statement in (
        "UPDATE audit.chain_anchors SET event_count = 0",
        "DELETE FROM audit.chain_anchors",
    ):
        with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
            container.database.execute(statement)
