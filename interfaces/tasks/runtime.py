"""The worker's container. The worker command hands its settings over (`configure`) before
Celery starts, so the tasks run on exactly the configuration the worker was started with;
each process (a prefork child too) builds its own container from them on first use. Tests
that run a worker in-process inject a container."""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from infrastructure.bootstrap import Container
    from infrastructure.settings import Settings

_lock = threading.Lock()
_container: Container | None = None
_settings: Settings | None = None


def configure(settings: Settings) -> None:
    global _settings
    with _lock:
        _settings = settings


def container() -> Container:
    global _container
    with _lock:
        if _container is None:
            from infrastructure.bootstrap import bootstrap, configured_settings

            _container = bootstrap(_settings or configured_settings())
        return _container


def set_container(value: Container | None) -> None:
    global _container
    with _lock:
        _container = value


def _forget_after_fork() -> None:
    global _container
    _container = None  # never share the parent's pools with a forked child


os.register_at_fork(after_in_child=_forget_after_fork)
