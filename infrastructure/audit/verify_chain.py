"""Re-checks the hash chain against the events tables, row by row.

Differences are reported, never repaired: an event whose bytes changed, an event that
disappeared or appeared, a link that does not hash its predecessor, and a head or anchor that
the recomputed chain does not reach.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from application.audit.chain import StoredRow, genesis, link_hash
from application.audit.ports import ChainReport, ConnectionSource, Difference, Progress

PAGE = 5000


@dataclass(frozen=True)
class LinkRow:
    notification_id: int
    originator_id: UUID
    originator_version: int
    topic: str
    event_hash: bytes
    link_hash: bytes


def events_table(application: str) -> str:
    if not application.isidentifier():
        raise ValueError(f"not an application name: {application!r}")
    return f"events.{application}_events"


def _event_pages(conn: Any, application: str, upto: int | None) -> Iterator[StoredRow]:
    last = -(2**63)
    while True:
        rows = conn.execute(
            "SELECT notification_id, originator_id, originator_version, topic, state"
            f" FROM {events_table(application)} WHERE notification_id > %s"
            " AND (%s::bigint IS NULL OR notification_id <= %s)"
            " ORDER BY notification_id LIMIT %s",
            (last, upto, upto, PAGE),
        ).fetchall()
        for r in rows:
            yield StoredRow(int(r[0]), r[1], int(r[2]), r[3] or "", bytes(r[4] or b""))
        if len(rows) < PAGE:
            return
        last = int(rows[-1][0])


def _link_pages(conn: Any, application: str) -> Iterator[LinkRow]:
    last = -(2**63)
    while True:
        rows = conn.execute(
            "SELECT notification_id, originator_id, originator_version, topic, event_hash,"
            " link_hash FROM audit.chain_links WHERE application = %s AND notification_id > %s"
            " ORDER BY notification_id LIMIT %s",
            (application, last, PAGE),
        ).fetchall()
        for r in rows:
            yield LinkRow(int(r[0]), r[1], int(r[2]), r[3], bytes(r[4]), bytes(r[5]))
        if len(rows) < PAGE:
            return
        last = int(rows[-1][0])


def _head(conn: Any, application: str) -> tuple[int, int, bytes] | None:
    row = conn.execute(
        "SELECT notification_id, event_count, link_hash FROM audit.chain_heads"
        " WHERE application = %s",
        (application,),
    ).fetchone()
    return (int(row[0]), int(row[1]), bytes(row[2])) if row else None


def _compare(application: str, event: StoredRow, link: LinkRow) -> Difference | None:
    if event.hash() == link.event_hash:
        return None
    if (event.originator_id, event.originator_version, event.topic) != (
        link.originator_id,
        link.originator_version,
        link.topic,
    ):
        what = (
            f"position {event.notification_id} now holds {event.originator_id} "
            f"v{event.originator_version}; the chain recorded {link.originator_id} "
            f"v{link.originator_version} there (moved, reordered or replaced)"
        )
        return Difference("reordered_event", application, what, event.notification_id)
    return Difference(
        "altered_event",
        application,
        f"the stored bytes of {event.originator_id} v{event.originator_version} changed",
        event.notification_id,
    )


def verify_log(
    pool: ConnectionSource, application: str, progress: Progress | None = None
) -> ChainReport:
    """Walks one application's whole log and chain in step, recomputing every link."""
    report = ChainReport()
    diffs = report.differences
    with pool.connection() as conn, conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        head = _head(conn, application)
        anchors = {
            int(r[0]): (int(r[1]), bytes(r[2]))
            for r in conn.execute(
                "SELECT notification_id, event_count, link_hash FROM audit.chain_anchors"
                " WHERE application = %s",
                (application,),
            ).fetchall()
        }
        upto = head[0] if head else 0
        recomputed, count, stored_previous = genesis(application), 0, genesis(application)
        events = _event_pages(conn, application, None)
        links = _link_pages(conn, application)
        event, link = next(events, None), next(links, None)
        batch = 0
        while event is not None or link is not None:
            if event is not None and event.notification_id > upto and link is None:
                report.pending += 1
                event = next(events, None)
                continue
            e_id = event.notification_id if event else None
            l_id = link.notification_id if link else None
            this_event = event if event and (l_id is None or e_id <= l_id) else None  # type: ignore[operator]
            this_link = link if link and (e_id is None or l_id <= e_id) else None  # type: ignore[operator]
            if this_event is not None:
                report.events_checked += 1
                batch += 1
                h = this_event.hash()
                count += 1
                recomputed = link_hash(recomputed, h)
                if this_link is None:
                    diffs.append(
                        Difference(
                            "unchained_event",
                            application,
                            f"{this_event.originator_id} v{this_event.originator_version} is in"
                            " the log but not in the chain (inserted after the fact, or its"
                            " link was removed)",
                            this_event.notification_id,
                        )
                    )
                else:
                    found = _compare(application, this_event, this_link)
                    if found:
                        diffs.append(found)
                nid = this_event.notification_id
                if nid in anchors and anchors[nid] != (count, recomputed):
                    diffs.append(
                        Difference(
                            "anchor_mismatch",
                            application,
                            f"the anchor recorded at position {nid} (event {anchors[nid][0]})"
                            f" is not reached by the log (event {count} there)",
                            nid,
                        )
                    )
            if this_link is not None:
                if this_event is None:
                    diffs.append(
                        Difference(
                            "missing_event",
                            application,
                            f"{this_link.originator_id} v{this_link.originator_version} was"
                            " chained but is no longer in the log (deleted or moved)",
                            this_link.notification_id,
                        )
                    )
                if link_hash(stored_previous, this_link.event_hash) != this_link.link_hash:
                    diffs.append(
                        Difference(
                            "broken_link",
                            application,
                            "the stored link does not hash its predecessor (the chain table"
                            " was edited)",
                            this_link.notification_id,
                        )
                    )
                stored_previous = this_link.link_hash
            if this_event is not None:
                event = next(events, None)
            if this_link is not None:
                link = next(links, None)
            if progress and batch >= 1000:
                progress(batch)
                batch = 0
        if progress and batch:
            progress(batch)
        if head is not None:
            report.heads[application] = {
                "notification_id": head[0],
                "event_count": head[1],
                "link_hash": head[2].hex(),
            }
            if (count, recomputed) != (head[1], head[2]):
                diffs.append(
                    Difference(
                        "head_mismatch",
                        application,
                        f"the recorded head is event {head[1]} at position {head[0]}; the log"
                        f" now yields {count} events with a different last link (events were"
                        " removed, added or changed)",
                        head[0],
                    )
                )
        elif count:
            diffs.append(Difference("head_missing", application, "no chain head recorded"))
        for nid, (anchor_count, _) in sorted(anchors.items()):
            if nid > upto:
                diffs.append(
                    Difference(
                        "anchor_mismatch",
                        application,
                        f"an anchor exists at position {nid} (event {anchor_count}), beyond"
                        " the chain head: the chain was cut back",
                        nid,
                    )
                )
    return report


def verify_streams(pool: ConnectionSource, application: str, streams: list[UUID]) -> ChainReport:
    """Checks only the given streams' events against the chain (a campaign's audit), plus
    the chain's newest link, so a deleted last event is caught here too."""
    report = ChainReport()
    diffs = report.differences
    table = events_table(application)
    with pool.connection() as conn, conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        head = _head(conn, application)
        upto = head[0] if head else 0
        rows = conn.execute(
            "SELECT e.notification_id, e.originator_id, e.originator_version, e.topic, e.state,"
            " l.originator_id, l.originator_version, l.topic, l.event_hash, l.link_hash"
            f" FROM {table} e LEFT JOIN audit.chain_links l"
            " ON l.application = %s AND l.notification_id = e.notification_id"
            " WHERE e.originator_id = ANY(%s) ORDER BY e.notification_id",
            (application, streams),
        ).fetchall()
        for r in rows:
            event = StoredRow(int(r[0]), r[1], int(r[2]), r[3] or "", bytes(r[4] or b""))
            if event.notification_id > upto and r[8] is None:
                report.pending += 1
                continue
            report.events_checked += 1
            if r[8] is None:
                diffs.append(
                    Difference(
                        "unchained_event",
                        application,
                        f"{event.originator_id} v{event.originator_version} is in the log but"
                        " not in the chain",
                        event.notification_id,
                    )
                )
                continue
            link = LinkRow(event.notification_id, r[5], int(r[6]), r[7], bytes(r[8]), bytes(r[9]))
            found = _compare(application, event, link)
            if found:
                diffs.append(found)
        links = conn.execute(
            "SELECT l.notification_id, l.originator_id, l.originator_version, l.event_hash,"
            " l.link_hash, e.originator_id IS NULL,"
            " (SELECT p.link_hash FROM audit.chain_links p WHERE p.application = l.application"
            "  AND p.notification_id < l.notification_id ORDER BY p.notification_id DESC"
            "  LIMIT 1)"
            " FROM audit.chain_links l LEFT JOIN " + table + " e"
            " ON e.notification_id = l.notification_id"
            " WHERE l.application = %s AND l.originator_id = ANY(%s)",
            (application, streams),
        ).fetchall()
        for r in links:
            if r[5]:
                diffs.append(
                    Difference(
                        "missing_event",
                        application,
                        f"{r[1]} v{r[2]} was chained but is no longer in the log",
                        int(r[0]),
                    )
                )
            previous = bytes(r[6]) if r[6] is not None else genesis(application)
            if link_hash(previous, bytes(r[3])) != bytes(r[4]):
                diffs.append(
                    Difference(
                        "broken_link",
                        application,
                        "the stored link does not hash its predecessor",
                        int(r[0]),
                    )
                )
        diffs.extend(_head_links_check(conn, application, head))
    return report


def _head_links_check(
    conn: Any, application: str, head: tuple[int, int, bytes] | None
) -> list[Difference]:
    """The recorded head must be the newest link, and the event there must be intact."""
    if head is None:
        return []
    last = conn.execute(
        "SELECT notification_id, link_hash, event_hash FROM audit.chain_links"
        " WHERE application = %s ORDER BY notification_id DESC LIMIT 1",
        (application,),
    ).fetchone()
    event = conn.execute(
        "SELECT notification_id, originator_id, originator_version, topic, state"
        f" FROM {events_table(application)} WHERE notification_id = %s",
        (head[0],),
    ).fetchone()
    if last is None or int(last[0]) != head[0] or bytes(last[1]) != head[2]:
        return [
            Difference(
                "head_mismatch",
                application,
                "the newest chain link is not the recorded head (links were removed)",
                head[0],
            )
        ]
    if event is None:
        return [
            Difference(
                "head_mismatch",
                application,
                "the event at the recorded head is no longer in the log",
                head[0],
            )
        ]
    row = StoredRow(int(event[0]), event[1], int(event[2]), event[3] or "", bytes(event[4]))
    if row.hash() != bytes(last[2]):
        return [
            Difference(
                "head_mismatch", application, "the event at the recorded head changed", head[0]
            )
        ]
    return []
