"""The loop the projector and the relay share: one active instance at a time (an advisory
lock), the others on hot standby; while leading, catch up, then wait for NOTIFY with a
polling fallback. A database outage (and whatever else `hold_on` names) pauses for one poll
interval and retries, keeping the position where it was."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import psycopg
from eventsourcing import persistence as es_persistence

from infrastructure.postgres.leadership import Leadership
from infrastructure.postgres.notifications import NotificationWaiter

TRANSIENT = (
    psycopg.OperationalError,
    psycopg.InterfaceError,
    es_persistence.OperationalError,
    es_persistence.InterfaceError,
)
"""Errors of a database that is away for a moment: retried, never fatal."""


def run_as_leader(
    role: str,
    catch_up: Callable[[], int],
    stop: threading.Event,
    leadership: Leadership,
    waiter: NotificationWaiter,
    poll_interval: float = 1.0,
    on_batch: Callable[[], None] | None = None,
    hold_on: tuple[type[BaseException], ...] = (),
    on_lead: Callable[[], object] | None = None,
) -> None:
    """Runs `catch_up` (returns how much it processed) until `stop` is set; `on_lead` runs
    once each time this instance becomes the active one, before its first catch-up."""
    log = logging.getLogger(f"kairos.{role}")
    standby_logged = False
    while not stop.is_set():
        if not leadership.try_acquire():
            if not standby_logged:
                log.info("%s is on standby: another instance is active", role)
                standby_logged = True
            stop.wait(poll_interval)  # hot standby
            continue
        standby_logged = False
        log.info("%s is active", role)
        led = False
        while not stop.is_set() and leadership.still_held():
            try:
                if not led and on_lead is not None:
                    on_lead()
                led = True
                processed = catch_up()
            except TRANSIENT as error:
                log.warning("database unavailable (%s); retrying", error)
                stop.wait(poll_interval)
                continue
            except hold_on as error:
                log.warning("%r; holding position", error)
                stop.wait(poll_interval)
                continue
            if on_batch:
                on_batch()
            if processed == 0:
                waiter.wait(timeout=poll_interval)
    leadership.release()
    waiter.close()


class FollowsTheLog:
    """Base of the projector and the relay: `run_forever` runs their `catch_up` as the one
    active instance (`role` names it in logs; `hold_on` errors pause instead of stopping)."""

    role = "follower"
    hold_on: tuple[type[BaseException], ...] = ()

    def catch_up(self) -> int:
        raise NotImplementedError

    def on_lead(self) -> object:
        """Runs once each time this instance becomes the active one (nothing by default)."""
        return None

    def run_forever(
        self,
        stop: threading.Event,
        leadership: Leadership,
        waiter: NotificationWaiter,
        poll_interval: float = 1.0,
        on_batch: Callable[[], None] | None = None,
    ) -> None:
        run_as_leader(
            self.role,
            self.catch_up,
            stop,
            leadership,
            waiter,
            poll_interval,
            on_batch,
            self.hold_on,
            self.on_lead,
        )
