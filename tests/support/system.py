"""Run the projector and relay in background threads against the test database, wired by
the composition root like the real processes."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from infrastructure.bootstrap import Container
from infrastructure.postgres.projector import Projector
from infrastructure.relay import Relay, TaskPublisher

Follower = TypeVar("Follower", Projector, Relay)


def channels(container: Container) -> list[str]:
    return container.waiter().channels


@contextmanager
def following(
    container: Container, follower: Follower, lock: str, poll_interval: float = 0.2
) -> Iterator[Follower]:
    """Runs `follower.run_forever` as the `lock` leader in a thread until the block ends."""
    stop = threading.Event()
    args: tuple[Any, ...] = (stop, container.leadership(lock), container.waiter())
    thread = threading.Thread(
        target=follower.run_forever, args=args, kwargs={"poll_interval": poll_interval}, daemon=True
    )
    thread.start()
    try:
        yield follower
    finally:
        stop.set()
        thread.join(30)  # a leaked leader would keep the lock from the next test


@contextmanager
def running_projector(container: Container, poll_interval: float = 0.2) -> Iterator[Projector]:
    with following(container, container.projector(), "projector", poll_interval) as projector:
        yield projector


@contextmanager
def running_relay(
    container: Container, publisher: TaskPublisher, poll_interval: float = 0.2
) -> Iterator[Relay]:
    with following(container, container.relay(publisher), "relay", poll_interval) as relay:
        yield relay
