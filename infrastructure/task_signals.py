"""Celery signal handlers installed by configure_celery in every process that touches the
broker: the correlation id travels in a message header from publisher to task, and workers
count task outcomes in the SharedCounters the composition root hands to `install`."""

from __future__ import annotations

import logging
from contextvars import Token
from typing import Any

from celery import signals

from infrastructure.logging import correlation_id
from infrastructure.observability import SharedCounters

HEADER = "kairos_correlation_id"  # plain "correlation_id" is an AMQP property (= task id)
log = logging.getLogger("kairos.tasks")
_tokens: dict[str, Token[str | None]] = {}
_installed = False
_counters = SharedCounters()
"""Celery's signals are process-wide, so the counters they feed are the process's: the ones
the last `install` was given."""


def _on_publish(headers: dict[str, Any] | None = None, **_: Any) -> None:
    value = correlation_id.get()
    if headers is not None and value and HEADER not in headers:
        headers[HEADER] = value


def _on_prerun(task_id: str | None = None, task: Any = None, **_: Any) -> None:
    request = getattr(task, "request", None)
    value = getattr(request, HEADER, None) or (getattr(request, "headers", None) or {}).get(HEADER)
    if task_id:
        _tokens[task_id] = correlation_id.set(value or task_id)


def _on_postrun(task_id: str | None = None, **_: Any) -> None:
    token = _tokens.pop(task_id or "", None)
    if token is not None:
        correlation_id.reset(token)


def _on_success(sender: Any = None, **_: Any) -> None:
    _counters.incr("task_outcomes", task=getattr(sender, "name", "?"), outcome="success")


def _on_retry(sender: Any = None, **_: Any) -> None:
    _counters.incr("task_outcomes", task=getattr(sender, "name", "?"), outcome="retry")


def _on_failure(sender: Any = None, **_: Any) -> None:
    name = getattr(sender, "name", "?")
    _counters.incr("task_outcomes", task=name, outcome="failure")
    _counters.incr("dead_lettered", task=name)


def install(counters: SharedCounters) -> None:
    """Idempotent; weak=False keeps the module-level handlers connected."""
    global _installed, _counters
    _counters = counters
    if _installed:
        return
    signals.before_task_publish.connect(_on_publish, weak=False)
    signals.task_prerun.connect(_on_prerun, weak=False)
    signals.task_postrun.connect(_on_postrun, weak=False)
    signals.task_success.connect(_on_success, weak=False)
    signals.task_retry.connect(_on_retry, weak=False)
    signals.task_failure.connect(_on_failure, weak=False)
    _installed = True
