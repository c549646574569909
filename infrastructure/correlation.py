"""Which request or task caused each event: after a save, the notification ids written are
stored with the current correlation id (app.event_correlations), and the relay publishes the
tasks those events cause under the same id. Best effort by design: a failure here is logged
and never fails the command (the events are already committed). Rows are pruned by age
(`prune`, run by the `ops.prune_correlations` beat task)."""

from __future__ import annotations

import logging

from infrastructure.logging import correlation_id
from infrastructure.postgres.database import Database

log = logging.getLogger("kairos.correlation")


class EventCorrelations:
    def __init__(self, database: Database) -> None:
        self.database = database

    def record(self, application: str, notification_ids: list[int]) -> None:
        value = correlation_id.get()
        if not value or not notification_ids:
            return
        try:
            self.database.execute(
                "INSERT INTO app.event_correlations (application, notification_id, correlation_id)"
                " SELECT %s, unnest(%s::bigint[]), %s ON CONFLICT DO NOTHING",
                (application, notification_ids, value),
            )
        except Exception as error:
            log.warning("could not record correlation for %s events: %r", application, error)

    def lookup(self, application: str, first: int, last: int) -> dict[int, str]:
        try:
            rows = self.database.fetch_all(
                "SELECT notification_id, correlation_id FROM app.event_correlations"
                " WHERE application = %s AND notification_id BETWEEN %s AND %s",
                (application, first, last),
            )
        except Exception as error:
            log.warning("could not read correlations for %s: %r", application, error)
            return {}
        return {int(r["notification_id"]): r["correlation_id"] for r in rows}

    def prune(self, older_than_days: int = 30) -> int:
        return self.database.execute(
            "DELETE FROM app.event_correlations"
            " WHERE recorded_at < now() - make_interval(days => %s)",
            (older_than_days,),
        )
