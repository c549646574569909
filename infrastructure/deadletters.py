"""Dead letters: tasks that failed for good (app.dead_letters, written by KairosTask.on_failure).
An operator lists them, fixes the cause, then replays: the same task name, kwargs and task id
are published again (tasks are idempotent) and the row is marked `replayed_at`."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.shared.errors import Conflict, NotFound
from infrastructure.postgres.database import Database
from infrastructure.relay import TaskPublisher

log = logging.getLogger("kairos.deadletters")


@dataclass(frozen=True)
class DeadLetter:
    id: int
    task_id: str
    task_name: str
    kwargs: dict[str, Any]
    error: str
    attempts: int
    failed_at: datetime
    replayed_at: datetime | None


def _letter(row: dict[str, Any]) -> DeadLetter:
    kwargs = row["kwargs"]
    return DeadLetter(
        id=int(row["id"]),
        task_id=row["task_id"],
        task_name=row["task_name"],
        kwargs=json.loads(kwargs) if isinstance(kwargs, str) else dict(kwargs),
        error=row["error"],
        attempts=int(row["attempts"]),
        failed_at=row["failed_at"],
        replayed_at=row["replayed_at"],
    )


COLUMNS = "id, task_id, task_name, kwargs, error, attempts, failed_at, replayed_at"


def record_dead_letter(
    database: Database, task_id: str, task_name: str, kwargs: Any, error: str, attempts: int
) -> None:
    """Keeps a task that failed for good (once per task id)."""
    database.execute(
        "INSERT INTO app.dead_letters (task_id, task_name, kwargs, error, attempts)"
        " VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
        (task_id, task_name, json.dumps(kwargs, default=str), error[:2000], attempts),
    )


def list_dead_letters(database: Database, include_replayed: bool = False) -> list[DeadLetter]:
    where = "" if include_replayed else " WHERE replayed_at IS NULL"
    rows = database.fetch_all(f"SELECT {COLUMNS} FROM app.dead_letters{where} ORDER BY id")
    return [_letter(r) for r in rows]


def replay(database: Database, publisher: TaskPublisher, letter_id: int) -> DeadLetter:
    """Marks the row replayed, then publishes; if publishing fails the mark is undone, so a
    replay is never lost. Marking first frees the task id, so a new failure is recorded."""
    row = database.fetch_one(
        f"UPDATE app.dead_letters SET replayed_at = now()"
        f" WHERE id = %s AND replayed_at IS NULL RETURNING {COLUMNS}",
        (letter_id,),
    )
    if row is None:
        exists = database.fetch_one(
            "SELECT 1 AS x FROM app.dead_letters WHERE id = %s", (letter_id,)
        )
        if exists:
            raise Conflict(f"dead letter {letter_id} was already replayed")
        raise NotFound(f"no dead letter {letter_id}")
    letter = _letter(row)
    try:
        publisher.publish(letter.task_name, letter.kwargs, letter.task_id)
    except Exception:
        database.execute(
            "UPDATE app.dead_letters SET replayed_at = NULL WHERE id = %s", (letter_id,)
        )
        raise
    log.info("replayed dead letter %s (%s %s)", letter.id, letter.task_name, letter.task_id)
    return letter
