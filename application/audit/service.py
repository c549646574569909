"""Audit use cases: a campaign's history, its state at an instant, and verification
(hash chain + read models re-derived from events). Nothing here edits an event."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import Application

from application.audit.ports import AuditStore, Difference, Progress, Scope
from application.audit.projections import CHAINED_APPLICATIONS
from application.audit.redaction import event_data
from application.audit.replay import state_as_of
from application.audit.stored import ESM, decode, load_campaign_events
from application.shared.projection import Projection
from domain.esm.campaign import Campaign
from domain.shared.errors import NotFound

INDEX_WAIT_SECONDS = 2.0
UNDECODABLE = "the stored bytes no longer decode: the event was altered (run verify)"


@dataclass
class VerifyReport:
    ok: bool
    events_checked: int
    differences: list[Difference] = field(default_factory=list)
    events_replayed: int = 0
    rows_compared: int = 0
    pending: int = 0
    heads: dict[str, dict[str, Any]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "events_checked": self.events_checked,
            "differences": [d.as_dict() for d in self.differences],
            "events_replayed": self.events_replayed,
            "rows_compared": self.rows_compared,
            "pending": self.pending,
            "heads": self.heads,
            "skipped": self.skipped,
        }


class AuditService:
    def __init__(
        self,
        store: AuditStore,
        applications: Mapping[str, Application],
        projections: Sequence[Projection],
        is_erased: Any,
    ) -> None:
        self.store = store
        self.applications = applications
        self.projections = projections
        self.is_erased = is_erased

    @property
    def esm(self) -> Application:
        return self.applications[ESM]

    # -- who may look ------------------------------------------------------------------
    def campaign_owner(self, campaign_id: UUID) -> UUID | None:
        """The owner, read from the campaign's first event (404 when there is none). None
        when that event no longer decodes (altered): then only overseers may look."""
        rows = self.store.load_rows([campaign_id], limit=1)
        if not rows or rows[0][0].originator_version != 1:
            raise NotFound("no such campaign")
        first = decode(self.esm, rows[0][0])
        if first is None:
            return None
        if not isinstance(first, Campaign.Created):
            raise NotFound("no such campaign")
        return first.owner_id  # type: ignore[no-any-return]

    def _index_caught_up(self, projection: str = "audit_campaign_streams") -> None:
        """Gives an audit projection a moment to take in the newest events (read-your-writes);
        whatever is still missing afterwards is reported as pending, not hidden."""
        head = self.esm.recorder.max_notification_id() or 0
        self.store.wait_for(projection, ESM, head, INDEX_WAIT_SECONDS)

    # -- history and replay --------------------------------------------------------------
    def history(
        self, campaign_id: UUID, after: int | None = None, limit: int | None = None
    ) -> list[dict[str, Any]]:
        """The campaign's events in commit order (after a position, at most `limit`)."""
        self.campaign_owner(campaign_id)
        self._index_caught_up()
        result = []
        for item in load_campaign_events(self.store, self.esm, campaign_id, after, limit):
            undecodable = item.event is None
            result.append(
                {
                    "position": item.row.notification_id,
                    "aggregate_id": str(item.row.originator_id),
                    "aggregate_type": item.aggregate_type,
                    "version": item.row.originator_version,
                    "type": item.type,
                    "timestamp": None if undecodable else item.event.timestamp.isoformat(),
                    "data": {"error": UNDECODABLE}
                    if undecodable
                    else event_data(item.event, self.is_erased),
                    "hash": item.row.hash().hex(),
                    "link": item.link_hash.hex() if item.link_hash else None,
                }
            )
        return result

    def state(self, campaign_id: UUID, as_of: datetime | None) -> dict[str, Any]:
        self.campaign_owner(campaign_id)
        self._index_caught_up()
        events = load_campaign_events(self.store, self.esm, campaign_id)
        return state_as_of(events, campaign_id, as_of, self.is_erased)

    # -- verification ------------------------------------------------------------------
    def verify_campaign(self, campaign_id: UUID, progress: Progress | None = None) -> VerifyReport:
        self.campaign_owner(campaign_id)
        self._index_caught_up()
        self._index_caught_up("audit_chain")
        streams = self.store.campaign_streams(campaign_id)
        chain = self.store.verify_streams(ESM, streams)
        if progress:
            progress(chain.events_checked)
        derived = self.store.rederive(
            self.applications, self.projections, Scope(campaign_id, tuple(streams)), None
        )
        differences = chain.differences + derived.differences
        return VerifyReport(
            ok=not differences,
            events_checked=chain.events_checked,
            differences=differences,
            events_replayed=derived.events_replayed,
            rows_compared=derived.rows_compared,
            pending=chain.pending,
            skipped=derived.skipped,
        )

    def log_size(self) -> int:
        return sum(
            self.applications[a].recorder.max_notification_id() or 0
            for a in CHAINED_APPLICATIONS
            if a in self.applications
        )

    def verify_all(
        self, chain_progress: Progress | None = None, replay_progress: Progress | None = None
    ) -> VerifyReport:
        report = VerifyReport(ok=True, events_checked=0)
        for app_name in CHAINED_APPLICATIONS:
            if app_name not in self.applications:
                continue
            chain = self.store.verify_log(app_name, chain_progress)
            report.events_checked += chain.events_checked
            report.pending += chain.pending
            report.differences += chain.differences
            report.heads.update(chain.heads)
        derived = self.store.rederive(self.applications, self.projections, None, replay_progress)
        report.differences += derived.differences
        report.events_replayed = derived.events_replayed
        report.rows_compared = derived.rows_compared
        report.skipped = derived.skipped
        report.ok = not report.differences
        return report
