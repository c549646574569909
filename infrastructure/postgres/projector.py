"""Runs projections: follows notification logs in batches, writes view rows and the position
in one transaction, isolates poison events, and waits on NOTIFY with a polling fallback."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from eventsourcing.application import Application
from eventsourcing.persistence import Notification

from application.shared.projection import Position, Projection
from infrastructure.postgres.database import Database
from infrastructure.postgres.leader_loop import TRANSIENT, FollowsTheLog

log = logging.getLogger("kairos.projector")
__all__ = ["TRANSIENT", "Lag", "ProjectionFailed", "Projector"]
Progress = Callable[[int], None]


@dataclass
class Lag:
    projection: str
    application: str
    position: int
    head: int
    failures: int

    @property
    def lag(self) -> int:
        return max(0, self.head - self.position)


class ProjectionFailed(Exception):
    pass


class Projector(FollowsTheLog):
    role = "projector"

    def __init__(
        self,
        database: Database,
        applications: Mapping[str, Application],
        projections: Sequence[Projection],
        batch_size: int = 1000,
    ) -> None:
        self.database = database
        self.applications = applications
        self.projections = {p.name: p for p in projections}
        self.batch_size = batch_size

    def pairs(self, only: str | None = None) -> list[tuple[Projection, str]]:
        return [
            (projection, app_name)
            for projection in self.projections.values()
            if only is None or projection.name == only
            for app_name in projection.applications
            if app_name in self.applications
        ]

    # -- processing -------------------------------------------------------------------
    def catch_up(
        self, only: str | None = None, strict: bool = False, progress: Progress | None = None
    ) -> int:
        """Processes everything available now; returns how many notifications were read."""
        total = 0
        for projection, app_name in self.pairs(only):
            while True:
                count = self.process_batch(projection, app_name, strict=strict)
                total += count
                if progress and count:
                    progress(count)
                if count < self.batch_size:
                    break
        return total

    def process_batch(self, projection: Projection, app_name: str, strict: bool = False) -> int:
        app = self.applications[app_name]
        start = self.database.position(projection.name, app_name)
        notifications = app.recorder.select_notifications(start=start + 1, limit=self.batch_size)
        if not notifications:
            return 0
        try:
            self._write_batch(projection, app, app_name, start, notifications, isolate=False)
        except TRANSIENT:
            raise
        except Exception:
            if strict:
                raise
            log.warning("batch failed for %s; retrying event by event", projection.name)
            self._write_batch(projection, app, app_name, start, notifications, isolate=True)
        return len(notifications)

    def _write_batch(
        self,
        projection: Projection,
        app: Application,
        app_name: str,
        start: int,
        notifications: Sequence[Notification],
        isolate: bool,
    ) -> None:
        topics = projection.handled_topics()
        with (
            self.database.pool.connection() as conn,
            # Pipeline mode sends the batch's statements without waiting for each reply (one
            # round trip per event was the catch-up bottleneck); errors still surface before
            # the commit. Isolating uses savepoints one by one, without it.
            contextlib.nullcontext() if isolate else conn.pipeline(),
            conn.transaction(),
            conn.cursor() as cur,
        ):
            cur.execute(
                "INSERT INTO app.projection_positions (projection, application, position)"
                " VALUES (%s, %s, 0) ON CONFLICT DO NOTHING",
                (projection.name, app_name),
            )
            cur.execute(
                "SELECT position FROM app.projection_positions WHERE projection = %s"
                " AND application = %s FOR UPDATE",
                (projection.name, app_name),
            )
            row = cur.fetchone()
            if row is None or row[0] != start:
                return  # another instance moved it meanwhile; the caller re-reads
            for notification in notifications:
                if topics and notification.topic not in topics:
                    continue
                position = Position(app_name, notification.id)
                if not isolate:
                    self._apply(projection, app, notification, cur, position)
                    continue
                try:
                    with conn.transaction():
                        self._apply(projection, app, notification, cur, position)
                except TRANSIENT:
                    raise
                except Exception as error:  # a poison event: isolate, report, move on
                    log.error(
                        "projection %s could not apply %s #%s: %r",
                        projection.name,
                        app_name,
                        notification.id,
                        error,
                    )
                    cur.execute(
                        "INSERT INTO app.projection_failures"
                        " (projection, application, notification_id, topic, error)"
                        " VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                        (
                            projection.name,
                            app_name,
                            notification.id,
                            notification.topic,
                            repr(error)[:2000],
                        ),
                    )
            cur.execute(
                "UPDATE app.projection_positions SET position = %s, updated_at = now()"
                " WHERE projection = %s AND application = %s",
                (notifications[-1].id, projection.name, app_name),
            )

    @staticmethod
    def _apply(
        projection: Projection,
        app: Application,
        notification: Notification,
        cur: Any,
        position: Position,
    ) -> None:
        if projection.needs_raw:
            projection.apply_raw(notification, cur, position)
        else:
            projection.apply(app.mapper.to_domain_event(notification), cur, position)

    # -- operations -------------------------------------------------------------------
    def status(self) -> list[Lag]:
        result = []
        heads = {
            name: app.recorder.max_notification_id() or 0 for name, app in self.applications.items()
        }
        failures = {
            (r["projection"], r["application"]): r["n"]
            for r in self.database.fetch_all(
                "SELECT projection, application, count(*) AS n FROM app.projection_failures"
                " GROUP BY projection, application"
            )
        }
        for projection, app_name in self.pairs():
            result.append(
                Lag(
                    projection=projection.name,
                    application=app_name,
                    position=self.database.position(projection.name, app_name),
                    head=heads[app_name],
                    failures=failures.get((projection.name, app_name), 0),
                )
            )
        return result

    def reset(self, name: str) -> None:
        """Empties the projection's tables and positions, in one transaction."""
        projection = self.projections[name]
        with self.database.pool.connection() as conn, conn.transaction():
            for table in projection.tables:
                conn.execute(f"TRUNCATE {table}")  # names are declared in code, not input
            conn.execute("DELETE FROM app.projection_positions WHERE projection = %s", (name,))
            conn.execute("DELETE FROM app.projection_failures WHERE projection = %s", (name,))

    def rebuild(self, name: str, progress: Progress | None = None) -> int:
        self.reset(name)
        self._record_version(name)
        return self.catch_up(only=name, strict=True, progress=progress)

    # -- versions ---------------------------------------------------------------------
    def versions(self) -> dict[str, int]:
        """The version of the code that wrote each projection's tables."""
        rows = self.database.fetch_all("SELECT projection, version FROM app.projection_versions")
        return {r["projection"]: int(r["version"]) for r in rows}

    def on_lead(self) -> list[str]:
        return self.reconcile_versions()  # only the active instance: no race

    def reconcile_versions(self) -> list[str]:
        """Resets every projection whose stored version differs from its code's (the
        catch-up that follows rebuilds it from the first event) and records the versions.
        Migration ops_0003 recorded version 1 for what older releases wrote; a projection
        without a row is new (or only ever caught up by hand) and starts at its code's
        version. Returns the names reset."""
        reset = []
        with self.database.pool.connection() as conn, conn.transaction():
            conn.execute("LOCK TABLE app.projection_versions IN SHARE ROW EXCLUSIVE MODE")
            stored = {
                r[0]: int(r[1])
                for r in conn.execute("SELECT projection, version FROM app.projection_versions")
            }
            for name, projection in self.projections.items():
                have = stored.get(name, projection.version)
                if have != projection.version:
                    log.warning(
                        "projection %s is version %s, its tables were written by version %s:"
                        " rebuilding it from the first event",
                        name,
                        projection.version,
                        have,
                    )
                    for table in projection.tables:
                        conn.execute(f"TRUNCATE {table}")  # names are declared in code
                    conn.execute(
                        "DELETE FROM app.projection_positions WHERE projection = %s", (name,)
                    )
                    conn.execute(
                        "DELETE FROM app.projection_failures WHERE projection = %s", (name,)
                    )
                    reset.append(name)
                if stored.get(name) != projection.version:
                    conn.execute(
                        "INSERT INTO app.projection_versions (projection, version) VALUES (%s, %s)"
                        " ON CONFLICT (projection) DO UPDATE SET version = EXCLUDED.version,"
                        " recorded_at = now()",
                        (name, projection.version),
                    )
        return reset

    def _record_version(self, name: str) -> None:
        self.database.execute(
            "INSERT INTO app.projection_versions (projection, version) VALUES (%s, %s)"
            " ON CONFLICT (projection) DO UPDATE SET version = EXCLUDED.version,"
            " recorded_at = now()",
            (name, self.projections[name].version),
        )
