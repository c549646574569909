"""myvod tasks: outcomes of outbox events come back as commands on the aggregates.

Every task is idempotent: enrichment and the first availability check look at the Title's
state, alerts are keyed by the change on the Watchlist, and the alert email claims
app.task_effects before it is sent (so a redelivered message never sends a second email).
Upstream 429/5xx/timeouts become TransientTaskError (retried with backoff and jitter).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar
from uuid import UUID

from application.myvod.ports import UpstreamRefused, UpstreamUnavailable
from application.myvod.queries import due_for_refresh
from application.shared.ports import MailDeliveryError, MailTemporarilyUnavailable
from domain.myvod.title import Title
from infrastructure.celery_app import celery_app
from interfaces.tasks.base import KairosTask, TransientTaskError
from interfaces.tasks.runtime import container

log = logging.getLogger("kairos.myvod")
T = TypeVar("T")

MAX_HONOURED_RETRY_AFTER = 10.0
"""A longer Retry-After is left to the task's own backoff instead of holding the worker."""
REFRESH_LOCK = 7140301


def upstream(call: Callable[[], T]) -> T:
    """Runs a use case; a vendor's temporary failure becomes a retry (after the vendor's
    Retry-After when it gave one and it is short)."""
    try:
        return call()
    except UpstreamUnavailable as error:
        if error.retry_after:
            time.sleep(min(error.retry_after, MAX_HONOURED_RETRY_AFTER))
        raise TransientTaskError(str(error)) from error


@celery_app.task(base=KairosTask, name="myvod.enrich_title")
def enrich_title(title_id: str, tmdb_id: int | None = None, **_: Any) -> str:
    return upstream(lambda: container().myvod.enrich_title(UUID(title_id)))


@celery_app.task(base=KairosTask, name="myvod.check_availability")
def check_availability(title_id: str, tmdb_id: int | None = None, **_: Any) -> str:
    return upstream(
        lambda: container().myvod.refresh_availability(UUID(title_id), initial_only=True)
    )


@celery_app.task(base=KairosTask, name="myvod.raise_alerts")
def raise_alerts(
    title_id: str, added: list[dict[str, Any]], initial: bool = False, event_id: str = "", **_: Any
) -> int:
    """A title became available somewhere: record one alert per matching watchlist. The
    first check of a new title is not news, so it alerts nobody."""
    if initial or not added:
        return 0
    app = container().myvod
    title = app.get_or_none(UUID(title_id))
    if not isinstance(title, Title):
        return 0
    return app.raise_alerts(title.tmdb_id, title.title, added, change_key=event_id)


@celery_app.task(base=KairosTask, name="myvod.send_alert")
def send_alert(watchlist_id: str, change_key: str, event_id: str = "", **_: Any) -> str:
    c = container()
    alert = c.myvod.alert(UUID(watchlist_id), change_key)
    if alert is None:
        return "no such alert"
    email = c.identity.email_of(alert["account_id"])
    if not email:
        return "no address (erased)"
    if not c.identity.is_verified(alert["account_id"]):
        return "unconfirmed address: nothing is sent until it is confirmed (in /me/alerts)"
    effect = f"myvod-alert:{watchlist_id}:{change_key}"
    claimed = c.database.execute(
        "INSERT INTO app.task_effects (effect_key, task_id) VALUES (%s, %s) ON CONFLICT DO NOTHING",
        (effect, event_id or effect),
    )
    if not claimed:
        return "already sent"
    subject, text, html = alert_email(alert)
    try:
        c.mailer.send(
            to=email,
            subject=subject,
            text=text,
            html=html,
            custom_args={"kind": "myvod-alert", "alert": effect[:200]},
        )
    except MailTemporarilyUnavailable as error:
        c.database.execute("DELETE FROM app.task_effects WHERE effect_key = %s", (effect,))
        raise TransientTaskError("mail provider unavailable") from error
    except MailDeliveryError:
        log.warning("alert email refused for good (watchlist %s)", watchlist_id)
        return "refused"
    return "sent"


def alert_email(alert: dict[str, Any]) -> tuple[str, str, str]:
    from html import escape

    title = alert["title"] or f"TMDB film {alert['tmdb_id']}"
    offers = alert["offers"]
    services = ", ".join(sorted({o["service"] for o in offers}))
    region = offers[0]["region"] if offers else ""
    subject = f"Now on {services}: {title}"
    lines = [f"{title} from your watchlist is now available in {region}:"]
    lines += [f"- {o['service']} ({o['type']}): {o.get('url') or ''}" for o in offers]
    text = "\n".join(lines)
    items = "".join(
        f"<li>{escape(o['service'])} ({escape(o['type'])})"
        + (f' <a href="{escape(o["url"])}">watch</a>' if o.get("url") else "")
        + "</li>"
        for o in offers
    )
    html = (
        f"<p><strong>{escape(title)}</strong> from your watchlist is now available in "
        f"{escape(region)}:</p><ul>{items}</ul>"
    )
    return subject, text, html


@celery_app.task(base=KairosTask, name="myvod.suggest")
def suggest(watchlist_id: str, request_id: str, **_: Any) -> str:
    return upstream(lambda: container().myvod.make_suggestions(UUID(watchlist_id), request_id))


@contextmanager
def advisory_lock(key: int) -> Iterator[bool]:
    """One refresh tick at a time across workers (a session-level try-lock)."""
    pool = container().database.pool
    with pool.connection() as conn:
        row = conn.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone()
        got = bool(row and row[0])
        try:
            yield got
        finally:
            if got:
                conn.execute("SELECT pg_advisory_unlock(%s)", (key,))


def refresh_budget(interval: float, per_minute: float) -> int:
    """Titles one tick may re-check: one Watchmode call each (the id is remembered), kept to
    half the vendor's rate so first checks of newly added titles still fit."""
    return max(1, int(interval * per_minute / 60.0 / 2))


@celery_app.task(base=KairosTask, name="myvod.refresh_availability")
def refresh_availability(interval: float = 10.0, **_: Any) -> dict[str, int]:
    """Beat tick: re-checks the titles on anyone's list whose availability is oldest (and
    retries the enrichment of any still without metadata)."""
    c = container()
    counts = {"checked": 0, "changed": 0, "failed": 0}
    with advisory_lock(REFRESH_LOCK) as got:
        if not got:
            return counts
        budget = refresh_budget(interval, c.settings.watchmode_requests_per_minute)
        for row in due_for_refresh(c.database, c.settings.myvod_refresh_after_seconds, budget):
            try:
                if row["status"] == "pending":  # its enrichment failed for good earlier
                    c.myvod.enrich_title(row["title_id"])
                outcome = c.myvod.refresh_availability(row["title_id"])
            except (UpstreamUnavailable, UpstreamRefused) as error:
                log.warning("availability refresh paused: %s", error)
                counts["failed"] += 1
                break
            counts["checked"] += 1
            counts["changed"] += int(outcome == "changed")
    return counts


def beat_entries(interval: float) -> dict[str, dict[str, Any]]:
    return {
        "myvod-refresh-availability": {
            "task": "myvod.refresh_availability",
            "schedule": interval,
            "kwargs": {"interval": interval},
        }
    }
