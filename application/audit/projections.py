"""Audit read models: the hash chain over every notification log, and the index from a
campaign to its streams (so history never scans the whole log)."""

from __future__ import annotations

from typing import Any

from application.audit.chain import ANCHOR_EVERY, event_hash, genesis, link_hash
from application.shared.ports import Cursor
from application.shared.projection import Position, Projection
from domain.esm.campaign import Campaign
from domain.esm.enrollment import Enrollment
from domain.esm.prompt import Prompt

CHAINED_APPLICATIONS = ("identity", "myvod", "esm")


class HashChainProjection(Projection):
    """Appends one link per stored event, in notification order, from the stored bytes."""

    name = "audit_chain"
    applications = CHAINED_APPLICATIONS
    tables = ("audit.chain_links", "audit.chain_heads")
    needs_raw = True

    def __init__(self) -> None:
        # The head last written through `_cursor`: the projector opens a new cursor for
        # every batch transaction, so the head is re-read once per batch (never trusted
        # across transactions) and the rest of the batch needs no round trip.
        self._cursor: Any = None
        self._heads: dict[str, tuple[int, int, bytes]] = {}

    def apply(self, event: Any, cursor: Cursor, position: Position) -> None:
        raise NotImplementedError("the hash chain works on stored bytes (apply_raw)")

    def _head(self, cursor: Cursor, app: str) -> tuple[int, int, bytes]:
        if cursor is not self._cursor:
            self._cursor, self._heads = cursor, {}
        if app not in self._heads:
            # A cursor of its own: in pipeline mode a shared cursor's fetch can see the
            # result of an earlier statement instead of this one.
            connection = getattr(cursor, "connection", None)
            reader: Any = connection.cursor() if connection is not None else cursor
            reader.execute(
                "SELECT notification_id, event_count, link_hash FROM audit.chain_heads"
                " WHERE application = %s FOR UPDATE",
                (app,),
            )
            row: Any = reader.fetchone()
            if row is None:
                self._heads[app] = (0, 0, genesis(app))
            else:
                self._heads[app] = (int(row[0]), int(row[1]), bytes(row[2]))
        return self._heads[app]

    def apply_raw(self, notification: Any, cursor: Cursor, position: Position) -> None:
        app = position.application
        this_hash = event_hash(
            notification.id,
            notification.originator_id,
            notification.originator_version,
            notification.topic,
            notification.state,
        )
        _, previous_count, previous_link = self._head(cursor, app)
        count, link = previous_count + 1, link_hash(previous_link, this_hash)
        cursor.execute(
            "INSERT INTO audit.chain_heads (application, notification_id, event_count,"
            " link_hash) VALUES (%s, %s, %s, %s) ON CONFLICT (application) DO UPDATE"
            " SET notification_id = EXCLUDED.notification_id,"
            " event_count = EXCLUDED.event_count, link_hash = EXCLUDED.link_hash",
            (app, notification.id, count, link),
        )
        cursor.execute(
            "INSERT INTO audit.chain_links (application, notification_id, originator_id,"
            " originator_version, topic, event_hash, link_hash)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s)",
            (
                app,
                notification.id,
                notification.originator_id,
                notification.originator_version,
                notification.topic,
                this_hash,
                link,
            ),
        )
        if count % ANCHOR_EVERY == 0:
            cursor.execute(
                "INSERT INTO audit.chain_anchors (application, notification_id, event_count,"
                " link_hash) VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
                (app, notification.id, count, link),
            )
        self._heads[app] = (notification.id, count, link)


class CampaignStreamsProjection(Projection):
    """Maps a campaign to the streams that belong to it: the campaign itself, its
    enrollments and its prompts. Every stream's first event names the campaign."""

    name = "audit_campaign_streams"
    applications = ("esm",)
    handles = (Campaign.Created, Enrollment.Enrolled, Enrollment.JoinRequested, Prompt.Scheduled)
    tables = ("audit.campaign_streams",)

    def apply(self, event: Any, cursor: Cursor, position: Position) -> None:
        cursor.execute(
            "INSERT INTO audit.campaign_streams (campaign_id, aggregate_id, aggregate_type,"
            " first_notification_id) VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
            (
                event.campaign_id,
                event.originator_id,
                type(event).__qualname__.split(".")[0],
                position.notification_id,
            ),
        )


PROJECTIONS: list[type[Projection]] = [HashChainProjection, CampaignStreamsProjection]
