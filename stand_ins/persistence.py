"""Where the fakes keep what must survive a restart of `kairos up` (the mailbox, availability
changes) when given a state folder: small JSON files, written atomically or appended."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def load_lines(path: Path) -> list[dict[str, Any]]:
    """The JSON objects of a JSON-lines file; a torn last line (a crash mid-append) is
    skipped."""
    if not path.exists():
        return []
    found = []
    for line in path.read_text().splitlines():
        try:
            found.append(json.loads(line))
        except ValueError:
            continue
    return found


def append_lines(path: Path, items: list[dict[str, Any]]) -> None:
    """Appends to a file only its owner reads (the mailbox holds survey links)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(descriptor, "a") as handle:
        handle.write("".join(json.dumps(item) + "\n" for item in items))


def load_json(path: Path | None) -> Any:
    if path is None or not path.exists():
        return None
    try:
        return json.loads(path.read_text())
    except ValueError:
        return None


def save_json(path: Path | None, value: Any) -> None:
    """Replaces the file in one rename, so a reader never sees half of it."""
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_text(json.dumps(value))
    os.replace(temporary, path)
