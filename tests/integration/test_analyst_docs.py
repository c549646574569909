"""docs/analysts.md documents every table and column analysts can see in schema `read`."""

from __future__ import annotations

import re
from pathlib import Path

from infrastructure.bootstrap import Container

DOC = Path(__file__).resolve().parents[2] / "docs" / "analysts.md"


def documented() -> dict[str, set[str]]:
    tables: dict[str, set[str]] = {}
    current: set[str] | None = None
    for line in DOC.read_text().splitlines():
        heading = re.match(r"^### `read\.(\w+)`", line)
        if heading:
            current = tables.setdefault(heading.group(1), set())
            continue
        if line.startswith("## "):
            current = None
        row = re.match(r"^\| `(\w+)` \|", line)
        if row and current is not None:
            current.add(row.group(1))
    return tables


def test_every_read_table_and_column_is_documented(container: Container) -> None:
    rows = container.database.fetch_all(
        "SELECT c.table_name, c.column_name FROM information_schema.columns c"
        " JOIN information_schema.tables t USING (table_schema, table_name)"
        " WHERE c.table_schema = 'read' ORDER BY 1, c.ordinal_position"
    )
    actual: dict[str, set[str]] = {}
    for r in rows:
        actual.setdefault(r["table_name"], set()).add(r["column_name"])
    docs = documented()
    assert sorted(actual) == sorted(docs), "tables in read.* vs docs/analysts.md"
    for table, columns in actual.items():
        assert columns == docs[table], f"read.{table}: columns vs docs/analysts.md"
