"""The one way tests wait: poll a condition with a generous deadline, never sleep for a
fixed time hoping something happened."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def eventually(
    check: Callable[[], T | None],
    timeout: float = 15.0,
    message: str | Callable[[], str] = "",
    interval: float = 0.01,
    max_interval: float = 0.25,
) -> T:
    """Polls `check` until it returns something truthy (returned), failing after `timeout`
    seconds. The pause between polls doubles from `interval` up to `max_interval`. A
    callable message is evaluated only on failure (e.g. a child's log at that moment)."""
    deadline = time.monotonic() + timeout
    delay = interval
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            text = message() if callable(message) else message
            raise AssertionError(f"not true within {timeout}s: {text or 'condition not met'}")
        time.sleep(delay)
        delay = min(delay * 2, max_interval)
