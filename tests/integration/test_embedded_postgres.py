"""The embedded PostgreSQL of `kairos up` (hostile trial): it trusted every connection, and a
closed terminal left it running, orphaned, for the next `kairos up` to reuse and never stop."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from infrastructure.embedded_postgres import HBA, EmbeddedPostgres
from tests.support.processes import ROOT, eventually, pid_alive


@pytest.fixture
def data_dir() -> Iterator[Path]:
    """Outside pytest's tmp root: as root, PostgreSQL runs as pgserver's own user."""
    path = Path(tempfile.mkdtemp(prefix="kairos-pg-test-"))
    try:
        yield path / "data"
    finally:
        EmbeddedPostgres(path / "data").stop()
        shutil.rmtree(path, ignore_errors=True)


def postmaster_pid(data_dir: Path) -> int | None:
    pid_file = data_dir / "pgdata" / "postmaster.pid"
    return int(pid_file.read_text().split()[0]) if pid_file.exists() else None


def test_the_embedded_postgresql_requires_the_password_kept_in_the_data_dir(
    data_dir: Path,
) -> None:
    server = EmbeddedPostgres(data_dir)
    url = server.start()
    try:
        password = (data_dir / "pg_password").read_text().strip()
        assert (data_dir / "pg_password").stat().st_mode & 0o777 == 0o600
        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
        for wrong in (url.replace(password, "not-the-password"), url.replace(f":{password}", "")):
            with pytest.raises(psycopg.OperationalError):
                psycopg.connect(wrong, connect_timeout=5).close()
        assert (data_dir / "pgdata" / "pg_hba.conf").read_text() == HBA
        assert "trust" not in HBA
    finally:
        server.stop()
    assert postmaster_pid(data_dir) is None


def test_a_killed_kairos_up_does_not_orphan_the_embedded_postgresql(data_dir: Path) -> None:
    """SIGKILL leaves no chance to clean up: the guard child (PDEATHSIG) stops the server."""
    code = (
        "import sys, time\nfrom pathlib import Path\n"
        "from infrastructure.embedded_postgres import EmbeddedPostgres\n"
        f"EmbeddedPostgres(Path({str(data_dir)!r})).start()\n"
        "print('up', flush=True)\ntime.sleep(600)\n"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert parent.stdout is not None and parent.stdout.readline().strip() == "up"
        pid = postmaster_pid(data_dir)
        assert pid and pid_alive(pid)
    finally:
        parent.kill()
        parent.wait(10)
    eventually(lambda: postmaster_pid(data_dir) is None, 60, "PostgreSQL outlived kairos up")


def test_a_server_left_by_an_older_version_is_adopted_made_to_ask_a_password_and_stopped(
    data_dir: Path,
) -> None:
    import pgserver

    (data_dir).mkdir(parents=True)
    orphan = pgserver.get_server(data_dir / "pgdata", cleanup_mode=None)  # trust, no guard
    assert "trust" in (data_dir / "pgdata" / "pg_hba.conf").read_text()
    pid = postmaster_pid(data_dir)
    server = EmbeddedPostgres(data_dir)
    url = server.start()
    try:
        assert postmaster_pid(data_dir) == pid  # reused, not a second server on the data
        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(orphan.get_uri(), connect_timeout=5).close()  # no password
    finally:
        server.stop()
    assert postmaster_pid(data_dir) is None
