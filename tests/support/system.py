"""Run the projector and relay in background threads against the test database."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from infrastructure.bootstrap import Container
from infrastructure.postgres.leadership import Leadership
from infrastructure.postgres.notifications import NotificationWaiter
from infrastructure.postgres.projector import Projector
from infrastructure.relay import Relay, TaskPublisher


def channels(container: Container) -> list[str]:
    return [app.recorder.channel_name for app in container.applications.values()]  # type: ignore[attr-defined]


@contextmanager
def running_projector(container: Container, poll_interval: float = 0.2) -> Iterator[Projector]:
    url = container.settings.database_url or ""
    projector = Projector(container.database, container.applications, container.projections())
    stop = threading.Event()
    thread = threading.Thread(
        target=projector.run_forever,
        args=(stop, Leadership(url, "projector"), NotificationWaiter(url, channels(container))),
        kwargs={"poll_interval": poll_interval},
        daemon=True,
    )
    thread.start()
    try:
        yield projector
    finally:
        stop.set()
        thread.join(30)  # a leaked leader would keep the lock from the next test


@contextmanager
def running_relay(
    container: Container, publisher: TaskPublisher, poll_interval: float = 0.2
) -> Iterator[Relay]:
    url = container.settings.database_url or ""
    relay = Relay(container.database, container.applications, container.outbox_rules(), publisher)
    stop = threading.Event()
    thread = threading.Thread(
        target=relay.run_forever,
        args=(stop, Leadership(url, "relay"), NotificationWaiter(url, channels(container))),
        kwargs={"poll_interval": poll_interval},
        daemon=True,
    )
    thread.start()
    try:
        yield relay
    finally:
        stop.set()
        thread.join(30)  # a leaked leader would keep the lock from the next test
