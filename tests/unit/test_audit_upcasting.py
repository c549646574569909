"""How an event changes shape without editing stored events: a class version and an
upcaster. Shown on a sample aggregate (not a product event): events stored by version 1 of
the code are read by today's code, upcast on the way in; the stored bytes stay as they were,
so the audit hash chain still verifies."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from application.audit.chain import event_hash


class Thermostat(Aggregate):
    """Today's code: `Installed` gained a time zone, `Set` renamed degrees to celsius."""

    class Installed(Aggregate.Created):
        class_version = 2
        room: str
        timezone: str

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["timezone"] = "UTC"  # what every version-1 thermostat implicitly used

    class Set(Aggregate.Event):
        class_version = 2
        celsius: float

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["celsius"] = state.pop("degrees")

    @event(Installed)
    def __init__(self, room: str, timezone: str) -> None:
        self.room = room
        self.timezone = timezone

    @event(Set)
    def set(self, celsius: float) -> None:
        self.celsius = celsius


def stored_by_version_1(app: Application[UUID], thermostat_id: UUID) -> None:
    """Writes the rows version 1 of the code stored: no time zone, `degrees`, and no
    class_version in the state (version 1 is implicit)."""
    now = datetime.now(UTC)
    rows = [
        (
            Thermostat.Installed,
            {"originator_topic": get_topic(Thermostat), "room": "kitchen"},
        ),
        (Thermostat.Set, {"degrees": 21.5}),
    ]
    app.recorder.insert_events(
        [
            StoredEvent(
                originator_id=thermostat_id,
                originator_version=version,
                topic=get_topic(cls),
                state=app.mapper.transcoder.encode(
                    {
                        "originator_id": thermostat_id,
                        "originator_version": version,
                        "timestamp": now,
                        **fields,
                    }
                ),
            )
            for version, (cls, fields) in enumerate(rows, start=1)
        ]
    )


def test_events_stored_by_version_1_are_upcast_when_read_and_never_rewritten() -> None:
    app: Application[UUID] = Application(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    thermostat_id = uuid4()
    stored_by_version_1(app, thermostat_id)
    stored_before = [
        (n.topic, bytes(n.state)) for n in app.recorder.select_notifications(start=1, limit=10)
    ]

    thermostat = app.repository.get(thermostat_id)
    assert isinstance(thermostat, Thermostat)
    assert (thermostat.room, thermostat.timezone, thermostat.celsius) == ("kitchen", "UTC", 21.5)

    thermostat.set(celsius=19.0)  # new events are written at class version 2
    app.save(thermostat)
    notifications = app.recorder.select_notifications(start=1, limit=10)
    assert [(n.topic, bytes(n.state)) for n in notifications[:2]] == stored_before
    assert b'"class_version":2' in bytes(notifications[2].state).replace(b" ", b"")
    assert app.repository.get(thermostat_id).celsius == 19.0
    # the chain hashes stored bytes, so upcasting changes nothing an auditor verifies
    hashes = [
        event_hash(n.id, n.originator_id, n.originator_version, n.topic, n.state)
        for n in notifications[:2]
    ]
    assert hashes == [
        event_hash(n.id, n.originator_id, n.originator_version, topic, state)
        for n, (topic, state) in zip(notifications[:2], stored_before, strict=True)
    ]
