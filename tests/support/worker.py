"""A real Celery worker in this process (solo pool) consuming one queue, with the tasks'
container injected, for tests of the relay and of task semantics."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from celery.contrib.testing.worker import start_worker

from infrastructure.bootstrap import Container, publisher
from infrastructure.celery_app import CeleryPublisher
from interfaces.tasks import runtime


@contextmanager
def running_worker(container: Container) -> Iterator[CeleryPublisher]:
    """Yields a publisher to the container's queue while a worker consumes that queue."""
    to_queue = publisher(container.settings)
    queue = container.settings.celery_queue
    runtime.set_container(container)
    try:
        with start_worker(
            to_queue.app,
            pool="solo",
            concurrency=1,
            perform_ping_check=False,
            queues=[queue],
            loglevel="WARNING",
            shutdown_timeout=10.0,
        ):
            yield to_queue
    finally:
        runtime.set_container(None)
