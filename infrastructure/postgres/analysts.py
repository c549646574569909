"""Analysts' database logins: one LOGIN role per person, a member of `kairos_analyst`
(SELECT on schema `read`, nothing else; migration audit_0001), read-only by default, with a
generated password. The password reaches the server only as a SCRAM verifier computed here,
so it never appears in the server's logs or statistics."""

from __future__ import annotations

import contextlib
import re
import secrets
from dataclasses import dataclass
from urllib.parse import quote

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

ANALYST_ROLE = "kairos_analyst"
NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}\Z")
RESERVED = re.compile(r"^(pg_|kairos|postgres$|public$|rds|azure|supabase|cloudsql)")
SETTINGS = {
    "default_transaction_read_only": "on",
    "search_path": "read",
    "statement_timeout": "5min",
    "idle_in_transaction_session_timeout": "10min",
}
CONNECTION_LIMIT = 5


class AnalystError(Exception):
    """Refused: the message says why."""


class InvalidName(AnalystError):
    pass


@dataclass(frozen=True)
class Analyst:
    name: str
    url: str
    password: str


def check_name(name: str) -> str:
    if not NAME.match(name):
        raise InvalidName(
            f"{name!r} is not a valid analyst name: lower-case letters, digits and _,"
            " starting with a letter, at most 63 characters"
        )
    if RESERVED.match(name):
        raise InvalidName(f"{name!r} is reserved; choose a person's name, e.g. alice")
    return name


def _is_analyst(conn: psycopg.Connection, name: str) -> bool | None:
    """None when no such role exists; else whether it is a login member of the group."""
    row = conn.execute(
        "SELECT r.rolcanlogin AND EXISTS ("
        "  SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid"
        "  WHERE m.member = r.oid AND g.rolname = %s)"
        " FROM pg_roles r WHERE r.rolname = %s",
        (ANALYST_ROLE, name),
    ).fetchone()
    return None if row is None else bool(row[0])


def add(database_url: str, name: str, host: str | None = None, port: int | None = None) -> Analyst:
    check_name(name)
    password = secrets.token_urlsafe(24)
    with psycopg.connect(database_url, autocommit=True) as conn:
        if (
            conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (ANALYST_ROLE,)).fetchone()
            is None
        ):
            raise AnalystError(f"role {ANALYST_ROLE} is missing: run `kairos migrate` first")
        existing = _is_analyst(conn, name)
        if existing is not None:
            what = "an analyst" if existing else "a role that is not an analyst"
            raise AnalystError(f"{name} already exists ({what}); `kairos analysts remove` first")
        verifier = conn.pgconn.encrypt_password(password.encode(), name.encode(), b"scram-sha-256")
        role = sql.Identifier(name)
        try:
            with conn.transaction():
                conn.execute(
                    sql.SQL(
                        "CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION"
                        " NOBYPASSRLS CONNECTION LIMIT {} PASSWORD {} IN ROLE {}"
                    ).format(
                        role,
                        sql.Literal(CONNECTION_LIMIT),
                        sql.Literal(verifier.decode()),
                        sql.Identifier(ANALYST_ROLE),
                    )
                )
                for key, value in SETTINGS.items():
                    conn.execute(
                        sql.SQL("ALTER ROLE {} SET {} = {}").format(
                            role, sql.Identifier(key), sql.Literal(value)
                        )
                    )
        except psycopg.errors.InsufficientPrivilege as error:
            raise AnalystError(
                f"the database user cannot create roles ({error.diag.message_primary});"
                " run this as a user with CREATEROLE (and ADMIN on kairos_analyst)"
            ) from None
        except psycopg.errors.DuplicateObject:
            raise AnalystError(f"{name} already exists (created meanwhile)") from None
    return Analyst(
        name=name, url=analyst_url(database_url, name, password, host, port), password=password
    )


def remove(database_url: str, name: str) -> None:
    check_name(name)
    with psycopg.connect(database_url, autocommit=True) as conn:
        existing = _is_analyst(conn, name)
        if existing is None:
            raise AnalystError(f"no analyst named {name}")
        if not existing:
            raise AnalystError(f"{name} is not an analyst login; refusing to drop it")
        role = sql.Identifier(name)
        with conn.transaction():
            # Close the doors first: no new session, then end the open ones (best effort).
            conn.execute(sql.SQL("ALTER ROLE {} NOLOGIN").format(role))
        with contextlib.suppress(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s",
                (name,),
            )
        with conn.transaction():
            conn.execute(sql.SQL("DROP OWNED BY {}").format(role))
            conn.execute(sql.SQL("DROP ROLE {}").format(role))


def listed(database_url: str) -> list[str]:
    with psycopg.connect(database_url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT r.rolname FROM pg_roles r JOIN pg_auth_members m ON m.member = r.oid"
            " JOIN pg_roles g ON g.oid = m.roleid WHERE g.rolname = %s AND r.rolcanlogin"
            " ORDER BY 1",
            (ANALYST_ROLE,),
        ).fetchall()
    return [row[0] for row in rows]


def analyst_url(
    database_url: str, name: str, password: str, host: str | None, port: int | None
) -> str:
    """The same server and database as the operator's URL, with the analyst's credentials."""
    info = conninfo_to_dict(database_url)
    server = host or str(info.get("host") or "localhost")
    if server.startswith("/"):
        server = "localhost"  # a Unix socket: analysts connect over TCP
    number = port or int(info.get("port") or 5432)
    database = quote(str(info.get("dbname") or "postgres"))
    netloc = f"{quote(name)}:{quote(password, safe='')}@{server}:{number}"
    suffix = "?sslmode=" + str(info["sslmode"]) if info.get("sslmode") else ""
    return f"postgresql://{netloc}/{database}{suffix}"
