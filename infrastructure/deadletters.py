"""Dead letters: tasks that failed for good (app.dead_letters, written by KairosTask.on_failure).
An operator lists them, fixes the cause, then replays: the same task name, kwargs and task id
are published again (tasks are idempotent) and the row is marked `replayed_at`."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert

from domain.shared.errors import Conflict, NotFound
from infrastructure.postgres.database import Database
from infrastructure.postgres.tables.platform import dead_letters as letters
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


def record_dead_letter(
    database: Database, task_id: str, task_name: str, kwargs: Any, error: str, attempts: int
) -> None:
    """Keeps a task that failed for good (once per task id)."""
    row = insert(letters).values(
        task_id=task_id,
        task_name=task_name,
        kwargs=json.dumps(kwargs, default=str),
        error=error[:2000],
        attempts=attempts,
    )
    database.execute(row.on_conflict_do_nothing())


def list_dead_letters(database: Database, include_replayed: bool = False) -> list[DeadLetter]:
    query = select(letters).order_by(letters.c.id)
    if not include_replayed:
        query = query.where(letters.c.replayed_at.is_(None))
    return [_letter(r) for r in database.fetch_all(query)]


def replay(database: Database, publisher: TaskPublisher, letter_id: int) -> DeadLetter:
    """Marks the row replayed, then publishes; if publishing fails the mark is undone, so a
    replay is never lost. Marking first frees the task id, so a new failure is recorded."""
    this = letters.c.id == letter_id
    row = database.fetch_one(
        update(letters)
        .where(this, letters.c.replayed_at.is_(None))
        .values(replayed_at=func.now())
        .returning(*letters.c)
    )
    if row is None:
        if database.fetch_one(select(letters.c.id).where(this)):
            raise Conflict(f"dead letter {letter_id} was already replayed")
        raise NotFound(f"no dead letter {letter_id}")
    letter = _letter(row)
    try:
        publisher.publish(letter.task_name, letter.kwargs, letter.task_id)
    except Exception:
        database.execute(update(letters).where(this).values(replayed_at=None))
        raise
    log.info("replayed dead letter %s (%s %s)", letter.id, letter.task_name, letter.task_id)
    return letter
