"""`kairos backup` / `kairos restore`: what cannot be rebuilt, in one consistent file.

Kept: the three event logs, the vault (per-person keys, erasures), the chain anchors, and the
internal state that keeps tasks idempotent after a restore (relay positions, task effects,
dead letters) plus refresh tokens. Everything else (read models, `app.accounts`, the hash
chain's links and heads) is rebuilt from the events by the restore.

The file is gzip-compressed text: a header line, one JSON manifest line, then per table a
`TABLE` line, its rows in PostgreSQL's COPY text format, a `\\.` line and an `END` line with
the row count and the SHA-256 of the rows; `DONE` last. It is read in one REPEATABLE READ
snapshot, so a backup taken while the system runs is consistent, and it needs no pg_dump:
it works from `kairos up`, inside a container, against a managed database.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, Any

import psycopg
from psycopg import sql

MAGIC = "KAIROS-BACKUP 1"
EVENT_LOGS = ("identity", "myvod", "esm")
TABLES = (
    *(f"events.{log}_events" for log in EVENT_LOGS),
    "vault.subject_keys",
    "vault.erasures",
    "audit.chain_anchors",
    "app.relay_positions",
    "app.task_effects",
    "app.dead_letters",
    "app.refresh_tokens",
)
END_OF_DATA = b"\\.\n"
CHUNK = 1 << 20

Progress = Callable[[str, int], None]
"""Called with a table and a number of rows just copied."""


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class Manifest:
    created_at: str
    revisions: list[str]
    rows: dict[str, int]
    columns: dict[str, list[str]]
    heads: dict[str, int]

    @classmethod
    def parse(cls, line: bytes) -> Manifest:
        data = json.loads(line)
        return cls(**{k: data[k] for k in cls.__dataclass_fields__})


def _split(table: str) -> sql.Identifier:
    schema, name = table.split(".")
    return sql.Identifier(schema, name)


def _columns(conn: psycopg.Connection[Any], table: str) -> list[str]:
    schema, name = table.split(".")
    rows = conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = %s"
        " AND table_name = %s ORDER BY ordinal_position",
        (schema, name),
    ).fetchall()
    if not rows:
        raise BackupError(f"{table} does not exist: is this a Kairos database?")
    return [r[0] for r in rows]


def _order(columns: list[str]) -> sql.Composable:
    for key in ("notification_id", "subject_id", "id", "effect_key", "jti", "application"):
        if key in columns:
            return sql.SQL(" ORDER BY {}").format(sql.Identifier(key))
    return sql.SQL("")


def backup(
    database_url: str,
    out: IO[bytes],
    progress: Progress | None = None,
    on_start: Callable[[Manifest], None] | None = None,
) -> Manifest:
    with psycopg.connect(database_url) as conn:
        conn.read_only = True
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        with conn.transaction():
            columns = {t: _columns(conn, t) for t in TABLES}
            rows = {t: _count(conn, t) for t in TABLES}
            heads = {log: _head(conn, log) for log in EVENT_LOGS}
            revisions = [r[0] for r in conn.execute("SELECT version_num FROM alembic_version")]
            manifest = Manifest(
                created_at=datetime.now(UTC).isoformat(),
                revisions=sorted(revisions),
                rows=rows,
                columns=columns,
                heads=heads,
            )
            if on_start:
                on_start(manifest)
            with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=6) as packed:
                stream: IO[bytes] = packed  # type: ignore[assignment]
                stream.write(f"{MAGIC}\n".encode())
                stream.write(json.dumps(manifest.__dict__).encode() + b"\n")
                for table in TABLES:
                    _dump_table(conn, table, columns[table], stream, progress)
                stream.write(b"DONE\n")
    return manifest


def _dump_table(
    conn: psycopg.Connection[Any],
    table: str,
    columns: list[str],
    packed: IO[bytes],
    progress: Progress | None,
) -> None:
    packed.write(f"TABLE {table} {','.join(columns)}\n".encode())
    digest = hashlib.sha256()
    count = 0
    query = sql.SQL("COPY (SELECT {} FROM {}{}) TO STDOUT").format(
        sql.SQL(", ").join(map(sql.Identifier, columns)), _split(table), _order(columns)
    )
    with conn.cursor() as cur, cur.copy(query) as copy:
        for data in copy:
            chunk = bytes(data)
            digest.update(chunk)
            packed.write(chunk)
            lines = chunk.count(b"\n")
            count += lines
            if progress and lines:
                progress(table, lines)
    packed.write(END_OF_DATA)
    packed.write(f"END {table} {count} {digest.hexdigest()}\n".encode())


def read_manifest(source: IO[bytes]) -> tuple[Manifest, IO[bytes]]:
    packed: IO[bytes] = gzip.GzipFile(fileobj=source, mode="rb")  # type: ignore[assignment]
    try:
        magic = packed.readline().decode().strip()
    except (OSError, EOFError, UnicodeDecodeError):
        raise BackupError("not a Kairos backup (not gzip)") from None
    if magic != MAGIC:
        raise BackupError(f"not a Kairos backup (starts with {magic[:40]!r})")
    return Manifest.parse(packed.readline()), packed


def event_counts(conn: psycopg.Connection[Any]) -> dict[str, int]:
    return {log: _count(conn, f"events.{log}_events") for log in EVENT_LOGS}


def restore(
    database_url: str,
    source: IO[bytes],
    progress: Progress | None = None,
    on_start: Callable[[Manifest], None] | None = None,
) -> Manifest:
    """Loads a backup into a database whose event logs and vault are empty (schema
    prepared by the caller), all of it in one transaction: a failure leaves nothing."""
    manifest, packed = read_manifest(source)
    if on_start:
        on_start(manifest)
    with psycopg.connect(database_url) as conn, conn.transaction():
        existing = {**event_counts(conn), "vault": _count(conn, "vault.subject_keys")}
        if any(existing.values()):
            raise BackupError(
                "the database is not empty (events or vault keys present): restore only into"
                " a fresh database, e.g. `createdb kairos_restored` and DATABASE_URL to it"
            )
        # A fresh stack's processes may have written positions or tick effects already:
        # without the events they mean nothing, and the backup's rows replace them.
        conn.execute(
            sql.SQL("TRUNCATE {}").format(
                sql.SQL(", ").join(_split(t) for t in TABLES if t.startswith(("app.", "audit.")))
            )
        )
        for table in _sections(packed, manifest):
            _load_table(conn, table, manifest, packed, progress)
        for table in TABLES:
            _reset_sequences(conn, table)
        conn.execute("TRUNCATE app.projection_positions, app.projection_failures")
        restored = event_counts(conn)
        for log, head in manifest.heads.items():
            if _head(conn, log) != head or restored[log] != manifest.rows[f"events.{log}_events"]:
                raise BackupError(f"the {log} log did not come back whole")
    return manifest


def _count(conn: psycopg.Connection[Any], table: str) -> int:
    row = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(_split(table))).fetchone()
    return int(row[0]) if row else 0


def _head(conn: psycopg.Connection[Any], log: str) -> int:
    row = conn.execute(
        sql.SQL("SELECT coalesce(max(notification_id), 0) FROM {}").format(
            _split(f"events.{log}_events")
        )
    ).fetchone()
    return int(row[0]) if row else 0


def _sections(packed: IO[bytes], manifest: Manifest) -> Iterator[str]:
    while True:
        line = packed.readline()
        if line == b"DONE\n":
            return
        if not line.startswith(b"TABLE "):
            raise BackupError("the backup is truncated or damaged (no DONE marker)")
        _, table, _columns_text = line.decode().rstrip("\n").split(" ", 2)
        if table not in manifest.rows:
            raise BackupError(f"unexpected table {table} in the backup")
        yield table


def _load_table(
    conn: psycopg.Connection[Any],
    table: str,
    manifest: Manifest,
    packed: IO[bytes],
    progress: Progress | None,
) -> None:
    columns = manifest.columns[table]
    present = set(_columns(conn, table))
    missing = [c for c in columns if c not in present]
    if missing:
        raise BackupError(
            f"{table} has no column {missing[0]} here: restore with the release"
            " that wrote the backup, then upgrade"
        )
    digest = hashlib.sha256()
    count = 0
    query = sql.SQL("COPY {} ({}) FROM STDIN").format(
        _split(table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    with conn.cursor() as cur, cur.copy(query) as copy:
        buffer: list[bytes] = []
        size = 0
        while True:
            line = packed.readline()
            if not line:
                raise BackupError(f"the backup ends inside {table}")
            if line == END_OF_DATA:
                break
            digest.update(line)
            buffer.append(line)
            size += len(line)
            count += 1
            if size >= CHUNK:
                copy.write(b"".join(buffer))
                if progress:
                    progress(table, len(buffer))
                buffer, size = [], 0
        if buffer:
            copy.write(b"".join(buffer))
            if progress:
                progress(table, len(buffer))
    trailer = packed.readline().decode().split()
    expected = manifest.rows[table]
    if trailer[:2] != ["END", table] or int(trailer[2]) != count or count != expected:
        raise BackupError(f"{table}: {count} rows read, {expected} expected")
    if trailer[3] != digest.hexdigest():
        raise BackupError(f"{table}: checksum mismatch (the file is damaged)")


def _reset_sequences(conn: psycopg.Connection[Any], table: str) -> None:
    """Serial columns continue after the restored rows, never reusing an id."""
    schema, name = table.split(".")
    for (column,) in conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = %s"
        " AND table_name = %s AND (column_default LIKE 'nextval(%%' OR is_identity = 'YES')",
        (schema, name),
    ).fetchall():
        conn.execute(
            sql.SQL(
                "SELECT setval(pg_get_serial_sequence({}, {}),"
                " greatest(coalesce(max({}), 0), 1), max({}) IS NOT NULL) FROM {}"
            ).format(
                sql.Literal(table),
                sql.Literal(column),
                sql.Identifier(column),
                sql.Identifier(column),
                _split(table),
            )
        )
