"""The embedded PostgreSQL of `kairos up`: pgserver's binaries, our own lifecycle.

* Password authentication only (scram-sha-256, local socket and host lines): the password
  is generated once and kept in `<data dir>/pg_password` (mode 0600). A data dir created
  by an older version (trust everywhere) is converted on its next start.
* No TCP listener; the socket lives in the data dir (or a short runtime path).
* Never orphaned: `pg_ctl` daemonises the server, so a guard process, a child of `kairos up`
  that dies with it (PR_SET_PDEATHSIG), stops the server when `kairos up` goes away by any
  means (Ctrl-C, a closed terminal, SIGKILL). A server left running by a version without the
  guard is found through `postmaster.pid` and reused (then guarded).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

HBA = """# Written by Kairos: every connection must give the password (scram-sha-256).
local   all   all                  scram-sha-256
host    all   all   127.0.0.1/32   scram-sha-256
host    all   all   ::1/128        scram-sha-256
"""
USER = "postgres"


def _pgserver() -> tuple[Any, Any, Any, Any]:
    from pgserver import _commands
    from pgserver.postgres_server import PostgresServer
    from pgserver.utils import PostmasterInfo, find_suitable_socket_dir

    return _commands, PostgresServer, PostmasterInfo, find_suitable_socket_dir


class EmbeddedPostgres:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.pgdata = data_dir / "pgdata"
        self.log = self.pgdata / "log"
        self.password_file = data_dir / "pg_password"
        self.system_user: str | None = None
        self.socket_dir: Path | None = None
        self.guard: subprocess.Popen[bytes] | None = None

    # -- what callers use --------------------------------------------------------------
    def start(self) -> str:
        """Starts (or adopts) the server; returns the server URL (database `postgres`)."""
        commands, server_class, info_class, _ = _pgserver()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._prepare_user(server_class, commands)
        password = self._password()
        if not (self.pgdata / "PG_VERSION").exists():
            self._initdb(commands, password)
        info = info_class.read_from_pgdata(self.pgdata)
        if info is not None and info.is_running() and info.status == "ready":
            self.socket_dir = info.socket_dir  # left by an earlier run: adopt it
        else:
            self._pg_ctl_start(commands)
        self._require_password(password)
        self.guard = start_guard(self.pgdata, self.system_user)
        return self.url(password)

    def url(self, password: str | None = None, database: str = "postgres") -> str:
        password = password if password is not None else self._password()
        assert self.socket_dir is not None
        return f"postgresql://{USER}:{quote(password, safe='')}@/{database}?host={self.socket_dir}"

    def stop(self) -> None:
        if self.running():
            stop_server(self.pgdata, self.system_user)
        if self.guard is not None and self.guard.poll() is None:
            self.guard.terminate()
            try:
                self.guard.wait(10)
            except subprocess.TimeoutExpired:
                self.guard.kill()

    def cleanup(self) -> None:  # the name pgserver's servers answer to
        self.stop()

    def running(self) -> bool:
        _, _, info_class, _ = _pgserver()
        info = info_class.read_from_pgdata(self.pgdata)
        return bool(info is not None and info.is_running())

    # -- steps -------------------------------------------------------------------------
    def _prepare_user(self, server_class: Any, commands: Any) -> None:
        if sys.platform.startswith("linux") and os.geteuid() == 0:
            # PostgreSQL refuses to run as root: pgserver's own user runs it.
            import pwd

            from pgserver.utils import ensure_prefix_permissions, ensure_user_exists

            self.system_user = "pgserver"
            ensure_user_exists(self.system_user)
            self.pgdata.mkdir(parents=True, exist_ok=True)
            ensure_prefix_permissions(self.pgdata)
            ensure_prefix_permissions(commands.POSTGRES_BIN_PATH)
            entry = pwd.getpwnam(self.system_user)
            os.chown(self.pgdata, entry.pw_uid, entry.pw_gid)
        else:
            self.pgdata.mkdir(parents=True, exist_ok=True)
        self.pgdata.chmod(0o700)

    def _password(self) -> str:
        if not self.password_file.exists():
            self.password_file.write_text(secrets.token_urlsafe(24))
            self.password_file.chmod(0o600)
        return self.password_file.read_text().strip()

    def _initdb(self, commands: Any, password: str) -> None:
        pwfile = self.pgdata.parent / f".pwfile-{secrets.token_hex(4)}"
        pwfile.write_text(password + "\n")
        try:
            if self.system_user is not None:
                import pwd

                entry = pwd.getpwnam(self.system_user)
                os.chown(pwfile, entry.pw_uid, entry.pw_gid)
            pwfile.chmod(0o600)
            commands.initdb(
                [
                    "--auth-local=scram-sha-256",
                    "--auth-host=scram-sha-256",
                    f"--pwfile={pwfile}",
                    "--encoding=utf8",
                    "-U",
                    USER,
                ],
                pgdata=self.pgdata,
                user=self.system_user,
            )
        finally:
            pwfile.unlink(missing_ok=True)

    def _pg_ctl_start(self, commands: Any) -> None:
        _, server_class, info_class, find_socket_dir = _pgserver()
        self.socket_dir = find_socket_dir(self.pgdata, server_class.runtime_path)
        if self.system_user is not None and self.socket_dir != self.pgdata:
            from pgserver.utils import ensure_prefix_permissions

            ensure_prefix_permissions(self.socket_dir)
            self.socket_dir.chmod(0o777)
        args = ["-w", "-o", '-h ""', "-o", f"-k {self.socket_dir}", "-l", str(self.log), "start"]
        commands.pg_ctl(args, pgdata=self.pgdata, user=self.system_user, timeout=60)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            info = info_class.read_from_pgdata(self.pgdata)
            if info is not None and info.is_running() and info.status == "ready":
                return
            time.sleep(0.1)
        raise RuntimeError(f"embedded PostgreSQL did not become ready; see {self.log}")

    def _require_password(self, password: str) -> None:
        """A data dir from a version that trusted every connection: set the password and
        switch pg_hba.conf to scram-sha-256 (then reload)."""
        hba = self.pgdata / "pg_hba.conf"
        if hba.read_text() == HBA:
            return
        import psycopg
        from psycopg import sql

        # Trust ignores the password; scram (initdb's own lines) checks it: both connect.
        with psycopg.connect(self.url(password), autocommit=True) as conn:
            conn.execute("SET password_encryption = 'scram-sha-256'")
            conn.execute(
                sql.SQL("ALTER USER {} PASSWORD {}").format(
                    sql.Identifier(USER), sql.Literal(password)
                )
            )
            hba.write_text(HBA)
            conn.execute("SELECT pg_reload_conf()")


def start_guard(pgdata: Path, system_user: str | None) -> subprocess.Popen[bytes]:
    """A child that stops the server when `kairos up` dies (PDEATHSIG) or tells it to."""
    from infrastructure.embedded import detach_but_die_with_parent

    guard = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "infrastructure.embedded_postgres",
            str(pgdata),
            system_user or "",
            str(os.getpid()),
        ],
        preexec_fn=detach_but_die_with_parent,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
    )
    assert guard.stdout is not None
    if guard.stdout.readline().strip() != b"guarding":  # its handlers are in place
        raise RuntimeError("the embedded PostgreSQL guard did not start")
    guard.stdout.close()
    return guard


def _guard_main(pgdata: str, system_user: str, parent: int) -> None:
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda *_: None)
    if os.getppid() == parent:  # else kairos up died before PDEATHSIG was armed
        print("guarding", flush=True)
        signal.pause()  # until kairos up stops us, or dies (PDEATHSIG: SIGTERM)
    stop_server(Path(pgdata), system_user or None)


def stop_server(pgdata: Path, system_user: str | None) -> None:
    """`pg_ctl stop -m fast`: sessions are ended, the server shuts down cleanly."""
    if not (pgdata / "postmaster.pid").exists():
        return  # not running (kairos up stopped it already)
    from pgserver import _commands

    pg_ctl = getattr(_commands, "pg_ctl")  # noqa: B009 (made at import time: mypy cannot see it)
    with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=system_user)


if __name__ == "__main__":
    _guard_main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
