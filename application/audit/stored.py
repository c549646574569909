"""A campaign's stored events, read straight from the event store (never a read model)
through the AuditStore port, and decoded."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import StoredEvent

from application.audit.chain import StoredRow
from application.audit.ports import AuditStore

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
    store: AuditStore,
    app: Application,
    campaign_id: UUID,
    after: int | None = None,
    limit: int | None = None,
) -> list[CampaignEvent]:
    streams = store.campaign_streams(campaign_id)
    return [
        CampaignEvent(row, decode(app, row), chained, link)
        for row, chained, link in store.load_rows(streams, after, limit)
    ]
