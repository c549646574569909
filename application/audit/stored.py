"""Reading a campaign's stored events straight from the event store (never a read model)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import StoredEvent

from application.audit.chain import StoredRow
from application.audit.ports import AuditDatabase
from application.audit.verify_chain import events_table

ESM = "esm"


@dataclass(frozen=True)
class CampaignEvent:
    row: StoredRow
    event: Any
    """The decoded domain event (upcast to the current class version); None when the
    stored bytes no longer decode (the log was altered: verify reports it)."""
    chained_hash: bytes | None
    link_hash: bytes | None

    @property
    def aggregate_type(self) -> str:
        return self.row.topic.split(":", 1)[-1].split(".")[0]

    @property
    def type(self) -> str:
        return self.row.topic.split(":", 1)[-1].split(".")[-1]


def campaign_streams(database: AuditDatabase, campaign_id: UUID) -> list[UUID]:
    rows = database.fetch_all(
        "SELECT aggregate_id FROM audit.campaign_streams WHERE campaign_id = %s",
        (campaign_id,),
    )
    streams = [r["aggregate_id"] for r in rows]
    if campaign_id not in streams:
        streams.insert(0, campaign_id)
    return streams


def load_rows(
    database: AuditDatabase,
    streams: Sequence[UUID],
    application: str = ESM,
    after: int | None = None,
    limit: int | None = None,
) -> list[tuple[StoredRow, bytes | None, bytes | None]]:
    """The streams' stored rows in commit (notification) order, with their chain links;
    optionally only those after a position, at most `limit` of them."""
    rows = database.fetch_all(
        "SELECT e.notification_id, e.originator_id, e.originator_version, e.topic, e.state,"
        " l.event_hash, l.link_hash"
        f" FROM {events_table(application)} e LEFT JOIN audit.chain_links l"
        " ON l.application = %s AND l.notification_id = e.notification_id"
        " WHERE e.originator_id = ANY(%s) AND (%s::bigint IS NULL OR e.notification_id > %s)"
        " ORDER BY e.notification_id LIMIT %s",
        (application, list(streams), after, after, limit),
    )
    return [
        (
            StoredRow(
                int(r["notification_id"]),
                r["originator_id"],
                int(r["originator_version"]),
                r["topic"] or "",
                bytes(r["state"] or b""),
            ),
            bytes(r["event_hash"]) if r["event_hash"] is not None else None,
            bytes(r["link_hash"]) if r["link_hash"] is not None else None,
        )
        for r in rows
    ]


def decode(app: Application, row: StoredRow) -> Any:
    try:
        return app.mapper.to_domain_event(
            StoredEvent(
                originator_id=row.originator_id,
                originator_version=row.originator_version,
                topic=row.topic,
                state=row.state,
            )
        )
    except Exception:  # corrupted bytes or an unknown topic: the caller shows it as such
        return None


def load_campaign_events(
    database: AuditDatabase,
    app: Application,
    campaign_id: UUID,
    after: int | None = None,
    limit: int | None = None,
) -> list[CampaignEvent]:
    streams = campaign_streams(database, campaign_id)
    return [
        CampaignEvent(row, decode(app, row), chained, link)
        for row, chained, link in load_rows(database, streams, ESM, after, limit)
    ]
