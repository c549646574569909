"""Which request or task caused each event. Before a save, the events' (originator id,
version) pairs are stored with the current correlation id (app.event_correlations); the relay
looks them up and publishes the tasks those events cause under the same id. Writing *before*
the save means the row exists by the time the relay can see the event; a save that fails
removes its rows again. Best effort by design: a failure here is logged and never fails the
command. Rows are pruned by age (`prune`, run by the `ops.prune_correlations` beat task)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from uuid import UUID

from infrastructure.logging import correlation_id
from infrastructure.postgres.database import Database

log = logging.getLogger("kairos.correlation")

Key = tuple[UUID | str, int]


def _nothing() -> None:
    return None


class EventCorrelations:
    def __init__(self, database: Database) -> None:
        self.database = database

    def claim(self, application: str, keys: Sequence[Key]) -> Callable[[], None]:
        """Records the current correlation id for these events; returns an undo for a save
        that then fails."""
        value = correlation_id.get()
        if not value or not keys:
            return _nothing
        ids = [k[0] for k in keys]
        versions = [k[1] for k in keys]
        # Observability data is not worth a WAL flush per command (losing the last rows in a
        # crash is fine): set_config(..., true) turns synchronous_commit off for this
        # statement's own transaction, in one round trip.
        recorded = self._quietly(
            f"record correlation for {application} events",
            "INSERT INTO app.event_correlations"
            " (application, originator_id, originator_version, correlation_id)"
            " SELECT %s, i, v, %s FROM unnest(%s::uuid[], %s::int[]) AS t(i, v)"
            " CROSS JOIN (SELECT set_config('synchronous_commit', 'off', true)) AS async"
            " ON CONFLICT (application, originator_id, originator_version)"
            " DO UPDATE SET correlation_id = EXCLUDED.correlation_id, recorded_at = now()",
            (application, value, ids, versions),
        )
        if not recorded:
            return _nothing

        def undo() -> None:
            self._quietly(
                f"undo correlation for {application}",
                "DELETE FROM app.event_correlations WHERE application = %s"
                " AND (originator_id, originator_version) IN"
                " (SELECT * FROM unnest(%s::uuid[], %s::int[])) AND correlation_id = %s",
                (application, ids, versions, value),
            )

        return undo

    def _quietly(self, what: str, sql: str, params: tuple[object, ...]) -> bool:
        """Runs a best-effort write: a failure is logged, never raised."""
        try:
            self.database.execute(sql, params)
        except Exception as error:
            log.warning("could not %s: %r", what, error)
            return False
        return True

    def lookup(self, application: str, keys: Sequence[Key]) -> dict[Key, str]:
        if not keys:
            return {}
        try:
            rows = self.database.fetch_all(
                "SELECT originator_id, originator_version, correlation_id"
                " FROM app.event_correlations WHERE application = %s"
                " AND (originator_id, originator_version) IN"
                " (SELECT * FROM unnest(%s::uuid[], %s::int[]))",
                (application, [k[0] for k in keys], [k[1] for k in keys]),
            )
        except Exception as error:
            log.warning("could not read correlations for %s: %r", application, error)
            return {}
        return {
            (r["originator_id"], int(r["originator_version"])): r["correlation_id"] for r in rows
        }

    def prune(self, older_than_days: int = 30) -> int:
        return self.database.execute(
            "DELETE FROM app.event_correlations"
            " WHERE recorded_at < now() - make_interval(days => %s)",
            (older_than_days,),
        )
