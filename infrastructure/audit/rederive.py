"""Re-derives read models from the events and compares them with the live tables.

For each projection, inside one transaction that is always rolled back: lock its positions
(the live projector waits), copy the live rows in scope, delete them, replay the events up to
those positions through the projection's own `apply`, and compare row by row. The live
tables are untouched afterwards; readers never notice (MVCC).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from eventsourcing.application import Application
from eventsourcing.persistence import StoredEvent
from psycopg import sql

from application.audit.ports import ConnectionSource, Difference, Progress, RederiveReport, Scope
from application.shared.projection import Position, Projection
from infrastructure.audit.verify_chain import events_table

PAGE = 1000
MAX_ROWS_REPORTED = 20
VOLATILE_DEFAULTS = ("now()", "current_timestamp", "nextval(", "gen_random_uuid", "clock_")
STREAM_COLUMNS = ("id", "prompt_id", "enrollment_id", "participant_id", "aggregate_id")


@dataclass(frozen=True)
class TablePlan:
    name: str
    identifier: sql.Composable
    columns: tuple[str, ...]
    key: tuple[str, ...]
    where: sql.Composable
    params: tuple[Any, ...]


def _split(table: str) -> sql.Composable:
    schema, _, name = table.partition(".")
    return sql.Identifier(schema, name) if name else sql.Identifier(schema)


def _plan(cur: Any, table: str, scope: Scope | None) -> TablePlan | None:
    cur.execute(
        "SELECT a.attname, format_type(a.atttypid, a.atttypmod),"
        " coalesce(pg_get_expr(d.adbin, d.adrelid), '')"
        " FROM pg_attribute a LEFT JOIN pg_attrdef d"
        " ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
        " WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped"
        " ORDER BY a.attnum",
        (table,),
    )
    described = cur.fetchall()
    types = {name: kind for name, kind, _ in described}
    columns = tuple(
        name
        for name, _, default in described
        if not any(v in default.lower() for v in VOLATILE_DEFAULTS)
    )
    cur.execute(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
        " AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass AND i.indisprimary",
        (table,),
    )
    key = tuple(r[0] for r in cur.fetchall()) or columns[:1]
    where: sql.Composable = sql.SQL("true")
    params: tuple[Any, ...] = ()
    if scope is not None:
        if "campaign_id" in types:
            where, params = sql.SQL("campaign_id = %s"), (scope.campaign_id,)
        else:
            column = next((c for c in STREAM_COLUMNS if types.get(c) == "uuid"), None)
            if column is None:
                return None
            where = sql.SQL("{} = ANY(%s)").format(sql.Identifier(column))
            params = (list(scope.streams),)
    return TablePlan(table, _split(table), columns, key, where, params)


def _select(plan: TablePlan, source: sql.Composable | None = None) -> sql.Composable:
    cols = sql.SQL(", ").join(
        sql.SQL("{}::text AS {}").format(sql.Identifier(c), sql.Identifier(c)) for c in plan.columns
    )
    return sql.SQL("SELECT {} FROM {} WHERE {}").format(cols, source or plan.identifier, plan.where)


def _delete(cur: Any, plans: Sequence[TablePlan]) -> None:
    """Deletes the rows in scope; retries the order when foreign keys link the tables."""
    remaining = list(plans)
    for _ in range(len(plans) + 1):
        failed = []
        for plan in remaining:
            try:
                with cur.connection.transaction():
                    cur.execute(
                        sql.SQL("DELETE FROM {} WHERE {}").format(plan.identifier, plan.where),
                        plan.params,
                    )
            except Exception:  # a foreign key: try again after the referencing table
                failed.append(plan)
        if not failed:
            return
        remaining = failed
    raise RuntimeError(f"cannot empty {', '.join(p.name for p in remaining)}")


class _Aborted(Exception):
    pass


def rederive(
    pool: ConnectionSource,
    applications: Mapping[str, Application],
    projections: Sequence[Projection],
    scope: Scope | None = None,
    progress: Progress | None = None,
) -> RederiveReport:
    report = RederiveReport()
    for projection in projections:
        apps = [a for a in projection.applications if a in applications]
        if projection.needs_raw or not projection.tables or not apps:
            continue
        if scope is not None and not set(apps) & set(scope.applications):
            continue
        fresh = type(projection)()
        try:
            with pool.connection() as conn:
                try:
                    with conn.transaction(force_rollback=True), conn.cursor() as cur:
                        _rederive_one(cur, fresh, applications, apps, scope, report, progress)
                except _Aborted:
                    pass
        except Exception as error:  # replay itself failed: that is a finding, not a crash
            report.differences.append(
                Difference(
                    "replay_failed",
                    None,
                    f"re-deriving failed: {type(error).__name__}: {str(error)[:300]}",
                    projection=projection.name,
                )
            )
    return report


def _rederive_one(
    cur: Any,
    projection: Projection,
    applications: Mapping[str, Application],
    apps: list[str],
    scope: Scope | None,
    report: RederiveReport,
    progress: Progress | None,
) -> None:
    positions: dict[str, int] = {}
    for app_name in apps:
        cur.execute(
            "SELECT position FROM app.projection_positions WHERE projection = %s"
            " AND application = %s FOR UPDATE",
            (projection.name, app_name),
        )
        row = cur.fetchone()
        positions[app_name] = int(row[0]) if row else 0
    plans: list[TablePlan] = []
    for table in projection.tables:
        plan = _plan(cur, table, scope)
        if plan is None:
            report.skipped.append(f"{projection.name}: {table} has no campaign column")
            raise _Aborted
        plans.append(plan)
    for i, plan in enumerate(plans):
        cur.execute(
            sql.SQL("CREATE TEMP TABLE {} ON COMMIT DROP AS ").format(
                sql.Identifier(f"audit_live_{i}")
            )
            + _select(plan),
            plan.params,
        )
    _delete(cur, plans)
    topics = list(projection.handled_topics())
    with cur.connection.pipeline():  # the projection's writes need no round trip each
        for app_name in apps:
            _replay(
                cur,
                projection,
                applications[app_name],
                app_name,
                positions[app_name],
                topics,
                scope,
                report,
                progress,
            )
    for i, plan in enumerate(plans):
        _compare(cur, projection, plan, sql.Identifier(f"audit_live_{i}"), report)


def _replay(
    cur: Any,
    projection: Projection,
    app: Application,
    app_name: str,
    upto: int,
    topics: list[str],
    scope: Scope | None,
    report: RederiveReport,
    progress: Progress | None,
) -> None:
    reader = cur.connection.cursor()  # not the pipelined writer's cursor (see projections.py)
    reader.execute(
        "SELECT notification_id FROM app.projection_failures WHERE projection = %s"
        " AND application = %s",
        (projection.name, app_name),
    )
    poisoned = {int(r[0]) for r in reader.fetchall()}
    streams = list(scope.streams) if scope else None
    last = -(2**63)
    while True:
        reader.execute(
            "SELECT notification_id, originator_id, originator_version, topic, state"
            f" FROM {events_table(app_name)} WHERE notification_id > %s"
            " AND notification_id <= %s AND (%s::text[] IS NULL OR topic = ANY(%s))"
            " AND (%s::uuid[] IS NULL OR originator_id = ANY(%s))"
            " ORDER BY notification_id LIMIT %s",
            (last, upto, topics or None, topics or None, streams, streams, PAGE),
        )
        rows = reader.fetchall()
        for nid, originator_id, version, topic, state in rows:
            if nid in poisoned:
                continue
            event = app.mapper.to_domain_event(
                StoredEvent(originator_id, version, topic, bytes(state))
            )
            projection.apply(event, cur, Position(app_name, int(nid)))
        report.events_replayed += len(rows)
        if progress and rows:
            progress(len(rows))
        if len(rows) < PAGE:
            return
        last = int(rows[-1][0])


def _compare(
    cur: Any, projection: Projection, plan: TablePlan, live: sql.Composable, report: RederiveReport
) -> None:
    rebuilt = _select(plan)
    live_rows = sql.SQL("SELECT * FROM {}").format(live)
    for kind, query, params in (
        ("read_model_row_missing", rebuilt + sql.SQL(" EXCEPT ALL ") + live_rows, plan.params),
        ("read_model_row_unexpected", live_rows + sql.SQL(" EXCEPT ALL ") + rebuilt, plan.params),
    ):
        cur.execute(query, params)
        names = [d.name for d in cur.description]
        rows = cur.fetchall()
        for row in rows[:MAX_ROWS_REPORTED]:
            values = dict(zip(names, row, strict=True))
            report.differences.append(
                Difference(
                    kind,
                    None,
                    "the events produce this row but the live table lacks it (or differs)"
                    if kind == "read_model_row_missing"
                    else "the live table has this row but the events do not produce it",
                    table=plan.name,
                    projection=projection.name,
                    key={k: values[k] for k in plan.key if k in values},
                )
            )
        if len(rows) > MAX_ROWS_REPORTED:
            report.differences.append(
                Difference(
                    kind,
                    None,
                    f"... and {len(rows) - MAX_ROWS_REPORTED} more such rows",
                    table=plan.name,
                    projection=projection.name,
                )
            )
    cur.execute(sql.SQL("SELECT count(*) FROM {}").format(live))
    report.rows_compared += int(cur.fetchone()[0])
