"""Log records carry the correlation id; JSON logs are one parseable object per line."""

from __future__ import annotations

import json
import logging

from infrastructure.logging import (
    CorrelationFilter,
    JsonFormatter,
    accept_correlation_id,
    correlation_scope,
    text_formatter,
)


def _record(message: str, **extra: object) -> logging.LogRecord:
    record = logging.makeLogRecord({"name": "kairos.test", "levelname": "INFO", "msg": message})
    record.__dict__.update(extra)
    CorrelationFilter().filter(record)
    return record


def test_json_line_carries_the_correlation_id_of_the_current_scope() -> None:
    with correlation_scope("req-123"):
        record = _record("prompt %s sent", prompt_id="p1")
    record.args = None
    line = JsonFormatter("worker").format(record)
    entry = json.loads(line)
    assert entry["correlation_id"] == "req-123"
    assert entry["process"] == "worker" and entry["level"] == "INFO"
    assert entry["prompt_id"] == "p1"
    assert "\n" not in line


def test_text_format_is_the_readable_default_and_shows_a_dash_without_scope() -> None:
    line = text_formatter("api").format(_record("hello"))
    assert " api INFO kairos.test [-] hello" in line


def test_caller_supplied_ids_are_kept_only_when_sane() -> None:
    assert accept_correlation_id("abc-DEF_1.2:3") == "abc-DEF_1.2:3"
    for junk in (None, "", "has space", "x" * 129, "line\nbreak", "trailing\n"):
        generated = accept_correlation_id(junk)
        assert generated != junk and len(generated) == 32
