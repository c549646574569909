"""The AuditStore port on PostgreSQL: the events tables, the hash chain (audit.chain_links)
and the stream index (audit.campaign_streams), read directly; verification and re-derivation
in infrastructure/audit/verify_chain.py and rederive.py."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from application.audit.chain import StoredRow
from application.audit.ports import (
    ChainReport,
    Logs,
    Progress,
    RederiveReport,
    Scope,
    StoredRowWithLinks,
    Views,
)
from infrastructure.audit.rederive import rederive
from infrastructure.audit.verify_chain import events_table, verify_log, verify_streams
from infrastructure.postgres.database import Database

ESM = "esm"  # the campaigns' context: its log holds every campaign stream


class PostgresAuditStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    def campaign_streams(self, campaign_id: UUID) -> list[UUID]:
        rows = self.database.fetch_all(
            "SELECT aggregate_id FROM audit.campaign_streams WHERE campaign_id = %s",
            (campaign_id,),
        )
        streams = [r["aggregate_id"] for r in rows]
        if campaign_id not in streams:
            streams.insert(0, campaign_id)
        return streams

    def load_rows(
        self, streams: Sequence[UUID], after: int | None = None, limit: int | None = None
    ) -> list[StoredRowWithLinks]:
        application = ESM
        rows = self.database.fetch_all(
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

    def verify_log(self, application: str, progress: Progress | None = None) -> ChainReport:
        return verify_log(self.database.pool, application, progress)

    def verify_streams(self, application: str, streams: Sequence[UUID]) -> ChainReport:
        return verify_streams(self.database.pool, application, list(streams))

    def rederive(
        self, applications: Logs, projections: Views, scope: Scope | None, progress: Progress | None
    ) -> RederiveReport:
        return rederive(self.database.pool, applications, projections, scope, progress)

    def wait_for(self, projection: str, application: str, position: int, timeout: float) -> bool:
        return self.database.wait_for(projection, application, position, timeout)
