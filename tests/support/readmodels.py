"""Dumps of every projection's tables, for comparing a read model with a clean rebuild."""

from __future__ import annotations

from infrastructure.bootstrap import Container


def dump_read_models(container: Container) -> dict[str, list[str]]:
    """Every row of every projection-owned table as sorted JSON text, plus the positions."""
    dump: dict[str, list[str]] = {}
    for projection in container.projections():
        for table in projection.tables:
            rows = container.database.fetch_all(
                f"SELECT to_jsonb(t)::text AS row FROM {table} t"  # names come from code
            )
            dump[table] = sorted(r["row"] for r in rows)
    positions = container.database.fetch_all(
        "SELECT projection, application, position FROM app.projection_positions"
        " WHERE position > 0 ORDER BY 1, 2"
    )
    dump["app.projection_positions"] = [
        f"{r['projection']}/{r['application']}={r['position']}" for r in positions
    ]
    return dump
