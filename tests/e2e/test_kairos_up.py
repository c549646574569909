"""`kairos up` from nothing: embedded PostgreSQL and Redis under a fresh data dir, every
process supervised, a clean Ctrl-C, and the data still there on the next start."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import httpx
import psycopg
import pytest

from infrastructure.embedded import free_port
from tests.support.polling import eventually
from tests.support.processes import ROOT, Child, children_of, pid_alive

CHILDREN = ("api", "projector", "relay", "worker", "beat", "fakes")
STARTUP = 180  # seconds; about 15 on an idle 2-core machine, far more when it is shared
CONFIG_VARS = ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "CELERY_QUEUE", "DATA_DIR")


@pytest.fixture
def data_dir() -> Iterator[Path]:
    """Outside pytest's tmp root: pgserver runs PostgreSQL as another user when we are root,
    and pytest resets its root to 0700 whenever another session starts."""
    path = Path(tempfile.mkdtemp(prefix="kairos-up-test-"))
    try:
        yield path / "data"
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in CONFIG_VARS}
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _start(port: int, data_dir: Path, log: Path) -> Child:
    return Child(["up", "--port", str(port), "--data-dir", str(data_dir)], _env(), log)


def _healthy(base: str) -> bool:
    try:
        return httpx.get(f"{base}/health", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def _child_pid(up: Child, name: str) -> int | None:
    for pid, cmdline in children_of(up.pid).items():
        if f"interfaces.cli.main {name} " in cmdline + " " and pid_alive(pid):
            return pid
    return None


def _poster_and_offer(
    base: str, mailbox_url: str, email: str, password: str
) -> tuple[str, dict[str, object]]:
    """Puts a film on the list (its poster URL, once enriched) and adds an offer to the
    Watchmode fake."""
    from tests.support.myvod import catalogue_movies

    movie = next(m for m in catalogue_movies() if m["poster_path"])
    access = _token(base, email, password).json()["access_token"]
    bearer = {"Authorization": f"Bearer {access}"}
    added = httpx.post(
        f"{base}/me/watchlist/items", json={"tmdb_id": movie["id"]}, headers=bearer, timeout=10
    )
    assert added.status_code == 201, added.text
    poster = eventually(
        lambda: httpx.get(f"{base}/me/watchlist", headers=bearer, timeout=5).json()["items"][0][
            "poster_url"
        ],
        90,
        "the title was enriched with its poster",
    )
    assert httpx.get(poster, timeout=5).status_code == 200
    offer = {"tmdb_id": movie["id"], "region": "PL", "service": "Netflix", "type": "sub"}
    fakes = mailbox_url.removesuffix("/mailbox")
    assert httpx.post(f"{fakes}/_control/availability", json=offer, timeout=5).json()["ok"]
    return poster, offer


def _token(base: str, email: str, password: str) -> httpx.Response:
    return httpx.post(
        f"{base}/auth/token", data={"username": email, "password": password}, timeout=10
    )


@pytest.mark.timeout(600)
def test_kairos_up_from_nothing_survives_a_dead_child_and_a_restart(
    tmp_path: Path, data_dir: Path
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    email, password = f"up-{uuid4().hex[:8]}@example.com", "correct horse battery"

    began = time.monotonic()
    phases: dict[str, float] = {}
    up = _start(port, data_dir, tmp_path / "up-1.log")
    try:
        eventually(lambda: _healthy(base), STARTUP, lambda: f"/health\n{up.output()}")
        phases["first start to /health"] = time.monotonic() - began
        # The others start the moment the API answers /health (it starts first).
        eventually(
            lambda: {n for n in CHILDREN if _child_pid(up, n)} == set(CHILDREN),
            STARTUP,
            lambda: f"children\n{up.output()}",
        )
        names = {n for n in CHILDREN if _child_pid(up, n)}
        assert names == set(CHILDREN), up.output()

        created = httpx.post(
            f"{base}/auth/register", json={"email": email, "password": password}, timeout=10
        )
        assert created.status_code == 201, created.text
        eventually(lambda: _token(base, email, password).status_code == 200, 60, "first login")

        mailbox = re.search(r"Mailbox\s+(\S+)", up.output())
        assert mailbox, up.output()
        eventually(
            lambda: email in httpx.get(mailbox.group(1), params={"to": email}, timeout=2).text,
            timeout=90,
            message="the welcome email reached the local SendGrid fake",
        )

        phases["welcome email delivered"] = time.monotonic() - began
        # What must outlive a restart: a stored poster and an availability change.
        poster_url, offer = _poster_and_offer(base, mailbox.group(1), email, password)
        # The supervisor restarts a child that dies.
        projector = _child_pid(up, "projector")
        assert projector
        os.kill(projector, signal.SIGKILL)
        # Meanwhile (to save a process start), a CLI command run against the data dir.
        researcher = f"cli-{uuid4().hex[:8]}@example.com"
        args = ["users", "add", researcher, "--password", password, "--role", "researcher"]
        cli = subprocess.Popen(
            [sys.executable, "-m", "interfaces.cli.main", *args, "--data-dir", str(data_dir)],
            cwd=ROOT,
            env=_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        eventually(
            lambda: (pid := _child_pid(up, "projector")) and pid != projector,
            timeout=120,
            message=lambda: f"projector restarted\n{up.output()}",
        )
        assert "projector exited (-9)" in up.output()
        phases["projector restarted"] = time.monotonic() - began
        second = f"up2-{uuid4().hex[:8]}@example.com"
        assert (
            httpx.post(
                f"{base}/auth/register", json={"email": second, "password": password}, timeout=10
            ).status_code
            == 201
        )
        eventually(
            lambda: _token(base, second, password).status_code == 200,
            timeout=90,
            message="the restarted projector serves logins",
        )

        # Any other `kairos` command pointed at the data dir reaches the same system.
        _, errors = cli.communicate(timeout=180)
        assert cli.returncode == 0, errors
        eventually(
            lambda: _token(base, researcher, password).status_code == 200,
            timeout=90,
            message="the account added by the CLI logs in through the API",
        )

        # The embedded PostgreSQL asks for the password (kept under the data dir).
        runtime = json.loads((data_dir / "runtime.json").read_text())
        password_url = runtime["database_url"]
        assert (data_dir / "pg_password").read_text().strip() in password_url
        assert oct((data_dir / "pg_password").stat().st_mode & 0o777) == "0o600"
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(re.sub(r":[^:@/]+@", "@", password_url), connect_timeout=5).close()
        # A second `kairos up` on the same data dir refuses to start.
        rival = subprocess.run(
            [sys.executable, "-m", "interfaces.cli.main", "up", "--data-dir", str(data_dir)],
            cwd=ROOT,
            env=_env(),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert rival.returncode == 1 and "another `kairos up`" in rival.stderr

        # Closing the terminal (SIGHUP) stops everything, the embedded PostgreSQL too.
        children = children_of(up.pid)
        stopping = time.monotonic()
        assert up.stop(signal.SIGHUP, timeout=40) == 0, up.output()
        phases["SIGHUP to exit"] = time.monotonic() - stopping
        left = [cmd for pid, cmd in children.items() if pid_alive(pid)]
        assert not left, f"children left running: {left}\n{up.output()[-3000:]}"
        assert not (data_dir / "pgdata" / "postmaster.pid").exists(), "PostgreSQL orphaned"
    finally:
        up.stop(signal.SIGINT, timeout=40)

    restarted = time.monotonic()
    again = _start(port, data_dir, tmp_path / "up-2.log")
    try:
        eventually(lambda: _healthy(base), STARTUP, lambda: f"/health\n{again.output()}")
        phases["second start to /health"] = time.monotonic() - restarted
        assert _token(base, email, password).status_code == 200, "data lost across restarts"
        # Restarting used to move the fakes to a new port (every stored poster URL broke)
        # and lose their mailbox and availability changes.
        # (The banner follows /health: the API starts first.)
        again_mailbox = eventually(
            lambda: re.search(r"Mailbox\s+(\S+)", again.output()), 30, again.output
        )
        assert again_mailbox.group(1) == mailbox.group(1)  # type: ignore[union-attr]
        assert email in httpx.get(mailbox.group(1), params={"to": email}, timeout=5).text
        assert httpx.get(poster_url, timeout=5).status_code == 200, poster_url
        access = _token(base, email, password).json()["access_token"]
        listed = httpx.get(
            f"{base}/me/watchlist", headers={"Authorization": f"Bearer {access}"}, timeout=10
        ).json()["items"]
        assert httpx.get(listed[0]["poster_url"], timeout=5).status_code == 200
        fakes = mailbox.group(1).removesuffix("/mailbox")
        sources = httpx.get(
            f"{fakes}/v1/title/movie-{offer['tmdb_id']}/sources/",
            params={"apiKey": "local-fake"},
            timeout=5,
        ).json()
        assert any(s["name"] == offer["service"] and s["region"] == "PL" for s in sources)
        assert again.stop(signal.SIGINT, timeout=40) == 0, again.output()
    finally:
        again.stop(signal.SIGINT, timeout=40)
    print("\n" + ", ".join(f"{k}: {v:.1f}s" for k, v in phases.items()))  # pytest -s


def test_a_child_of_a_killed_supervisor_does_not_outlive_it() -> None:
    """`kairos up` starts children with detach_but_die_with_parent: a SIGKILL of the
    supervisor must not leave orphans holding the API port, the locks or the data dir."""
    supervisor = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import subprocess, sys, time\n"
            "from infrastructure.embedded import detach_but_die_with_parent\n"
            "child = subprocess.Popen(['sleep', '120'], preexec_fn=detach_but_die_with_parent)\n"
            "print(child.pid, flush=True)\n"
            "time.sleep(120)\n",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert supervisor.stdout is not None
        child_pid = int(supervisor.stdout.readline())
        assert pid_alive(child_pid)
        assert os.getsid(child_pid) == child_pid  # its own session: Ctrl-C goes to up only
        supervisor.kill()
        supervisor.wait(10)
        eventually(lambda: not pid_alive(child_pid), 10, "the orphan was not terminated")
    finally:
        supervisor.kill()
