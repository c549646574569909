"""Environment for eventsourcing Applications on PostgreSQL, derived from DATABASE_URL."""

from __future__ import annotations

from psycopg.conninfo import conninfo_to_dict

EVENTS_SCHEMA = "events"
GROUP_COMMIT_RECORDER = "infrastructure.postgres.group_commit:GroupCommitApplicationRecorder"


def event_store_env(
    database_url: str,
    *,
    pool_size: int = 2,
    max_overflow: int = 8,
    group_commit: bool = True,
    create_table: bool = False,
) -> dict[str, str]:
    """POSTGRES_* variables for eventsourcing's PostgresFactory.

    Tables are created by `prepare_database` (migrations, under an advisory lock), not by
    each process: processes starting together raced on CREATE TABLE/TYPE ("tuple
    concurrently updated"), so CREATE_TABLE is off unless asked for.

    With group_commit, concurrent appends in a process share one gapless transaction
    (infrastructure/postgres/group_commit.py); without it, the stock recorder is used.

    POSTGRES_ENABLE_DB_FUNCTIONS stays off: in 9.5.6 that mode lets readers skip events
    under concurrent writers (see docs/architecture.md).
    """
    info = conninfo_to_dict(database_url)
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": str(info.get("dbname", "postgres")),
        "POSTGRES_HOST": str(info.get("host", "127.0.0.1")),
        "POSTGRES_PORT": str(info.get("port", "5432")),
        "POSTGRES_USER": str(info.get("user", "postgres")),
        "POSTGRES_PASSWORD": str(info.get("password", "")),
        "POSTGRES_SCHEMA": EVENTS_SCHEMA,
        "POSTGRES_POOL_SIZE": str(pool_size),
        "POSTGRES_MAX_OVERFLOW": str(max_overflow),
        "POSTGRES_PRE_PING": "y",
        "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT": "10",
        "CREATE_TABLE": "y" if create_table else "n",
    }
    if group_commit:
        env["APPLICATION_RECORDER_TOPIC"] = GROUP_COMMIT_RECORDER
    return env


def popo_env() -> dict[str, str]:
    """In-memory persistence for unit tests of applications."""
    return {"PERSISTENCE_MODULE": "eventsourcing.popo"}
