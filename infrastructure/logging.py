"""Logging for every Kairos process: readable text by default, one JSON object per line with
LOG_FORMAT=json. Every record carries the correlation id of the request or task it belongs
to (a contextvar set by the HTTP middleware, the relay and the Celery task signals)."""

from __future__ import annotations

import json
import logging
import re
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

correlation_id: ContextVar[str | None] = ContextVar("kairos_correlation_id", default=None)

_VALID_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {
    "message",
    "asctime",
    "correlation_id",
    "color_message",  # uvicorn's ANSI-coloured duplicate of the message
}


def new_correlation_id() -> str:
    return uuid.uuid4().hex


def accept_correlation_id(value: str | None) -> str:
    """The caller's id when it is a sane token (no spaces, no control characters, at most
    128 characters), else a fresh one: ids end up in logs, so nothing else is trusted."""
    if value and _VALID_ID.fullmatch(value):
        return value
    return new_correlation_id()


@contextmanager
def correlation_scope(value: str | None) -> Iterator[None]:
    token = correlation_id.set(value)
    try:
        yield
    finally:
        correlation_id.reset(token)


class CorrelationFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "correlation_id"):
            record.correlation_id = correlation_id.get() or "-"
        return True


class JsonFormatter(logging.Formatter):
    """`{"ts", "level", "process", "logger", "message", "correlation_id", ...extra}`."""

    def __init__(self, process: str) -> None:
        super().__init__()
        self.process = process

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "process": self.process,
            "logger": record.name,
            "message": record.getMessage(),
            "correlation_id": getattr(record, "correlation_id", None) or correlation_id.get(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def text_formatter(process: str) -> logging.Formatter:
    return logging.Formatter(
        f"%(asctime)s {process} %(levelname)s %(name)s [%(correlation_id)s] %(message)s"
    )


def configure_logging(process: str, level: str = "INFO", fmt: str = "text") -> None:
    """Replaces the root handlers with one stderr handler in the chosen format."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(CorrelationFilter())
    handler.setFormatter(
        JsonFormatter(process) if fmt.lower() == "json" else text_formatter(process)
    )
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level.upper())
    # uvicorn's loggers bring their own handlers; route them through ours instead.
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "celery"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
