"""The tamper-evident hash chain over a notification log.

Each stored event gets an event hash over everything the store keeps for it (position,
stream, version, topic and the stored `state` bytes). Each link hashes the previous link
and that event hash, starting from a fixed genesis per application. Editing one byte,
deleting, inserting or reordering a row changes an event hash or breaks a link; deleting the
newest rows is caught by the recorded head (count and last link) and by the anchors.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from uuid import UUID

ANCHOR_EVERY = 1000
"""An anchor (append-only copy of the head) is recorded every this many events."""


def genesis(application: str) -> bytes:
    return hashlib.sha256(b"kairos-audit-chain:v1:" + application.encode()).digest()


def event_hash(
    notification_id: int, originator_id: UUID, originator_version: int, topic: str, state: bytes
) -> bytes:
    header = f"{notification_id}|{originator_id}|{originator_version}|{topic}|".encode()
    return hashlib.sha256(header + bytes(state)).digest()


def link_hash(previous_link: bytes, this_event_hash: bytes) -> bytes:
    return hashlib.sha256(bytes(previous_link) + bytes(this_event_hash)).digest()


@dataclass(frozen=True)
class StoredRow:
    """One row of an events table, as stored."""

    notification_id: int
    originator_id: UUID
    originator_version: int
    topic: str
    state: bytes

    def hash(self) -> bytes:
        return event_hash(
            self.notification_id,
            self.originator_id,
            self.originator_version,
            self.topic,
            self.state,
        )
