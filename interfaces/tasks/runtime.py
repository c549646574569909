"""The worker's container: built once per process from the environment, or injected by
tests that run a worker in-process."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from infrastructure.bootstrap import Container

_lock = threading.Lock()
_container: Container | None = None


def container() -> Container:
    global _container
    with _lock:
        if _container is None:
            from infrastructure.bootstrap import bootstrap
            from infrastructure.settings import Settings

            _container = bootstrap(Settings().with_runtime())
        return _container


def set_container(value: Container | None) -> None:
    global _container
    with _lock:
        _container = value
