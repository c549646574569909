"""A Docker engine for the stack tests, shared safely between sessions on one machine.

If an engine answers, it is used as it is. Otherwise deploy/containers/start-dockerd.sh
installs and starts one (as root, from Debian's packages) and the last test session to leave
stops it again; sessions count themselves in under a lock, so one session never stops the
engine under another. The stand-ins for the official images (python, postgres, redis,
nginx) are built from Debian's packages when they are missing (no registry is needed).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support.processes import ROOT

SCRIPTS = ROOT / "deploy" / "containers"
STATE = Path(os.environ.get("DOCKERD_STATE") or Path(tempfile.gettempdir()) / "dockerd")
STAND_INS = ("python:3.11-slim-bookworm", "postgres:15", "redis:7", "nginx:1.22")


class NoEngine(Exception):
    """Why this machine cannot run containers (the test is skipped with it)."""


def _answers() -> bool:
    if not shutil.which("docker"):
        return False
    return subprocess.run(["docker", "info"], capture_output=True).returncode == 0


@contextmanager
def _locked() -> Iterator[None]:
    STATE.mkdir(parents=True, exist_ok=True)
    with (STATE / "tests.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _users() -> list[Path]:
    users = STATE / "test-users"
    users.mkdir(parents=True, exist_ok=True)
    alive = []
    for entry in users.iterdir():
        try:
            os.kill(int(entry.name), 0)
            alive.append(entry)
        except (ValueError, ProcessLookupError):
            entry.unlink(missing_ok=True)  # a session that died without leaving
        except PermissionError:
            alive.append(entry)
    return alive


def _start() -> str:
    if os.geteuid() != 0 or (not shutil.which("apt-get") and not shutil.which("dockerd")):
        raise NoEngine("no Docker engine, and it cannot be installed here (needs root and apt)")
    done = subprocess.run(
        [str(SCRIPTS / "start-dockerd.sh")], capture_output=True, text=True, timeout=600
    )
    if done.returncode != 0 or not _answers():
        raise NoEngine(f"could not start a Docker engine: {(done.stdout + done.stderr)[-800:]}")
    return done.stdout.strip()


@contextmanager
def docker_engine() -> Iterator[str]:
    """Yields how the engine was obtained; stops it on exit if tests started it."""
    marker = STATE / "started-by-tests"
    with _locked():
        if _answers():
            how = "engine already running"
        else:
            how = _start()
            marker.write_text(str(os.getpid()))
        (STATE / "test-users").mkdir(parents=True, exist_ok=True)
        (STATE / "test-users" / str(os.getpid())).touch()
    try:
        yield how
    finally:
        with _locked():
            (STATE / "test-users" / str(os.getpid())).unlink(missing_ok=True)
            if marker.exists() and not _users():
                subprocess.run([str(SCRIPTS / "stop-dockerd.sh")], capture_output=True, timeout=120)
                marker.unlink(missing_ok=True)


def _pulled(image: str) -> bool:
    """Where a registry answers (e.g. a CI runner), the official image itself."""
    try:
        done = subprocess.run(
            ["docker", "pull", "--quiet", image], capture_output=True, timeout=300
        )
    except subprocess.TimeoutExpired:
        return False
    return done.returncode == 0


def ensure_stand_ins() -> float:
    """Makes the base images present: pulled where a registry answers, else the local
    stand-ins built from Debian's packages (deploy/containers/build-images.sh). Returns the
    seconds spent; raises NoEngine when neither is possible."""
    import time

    began = time.monotonic()
    missing = [
        image
        for image in STAND_INS
        if subprocess.run(["docker", "image", "inspect", image], capture_output=True).returncode
    ]
    if missing and _pulled(missing[0]):
        missing = [image for image in missing[1:] if not _pulled(image)]
    if not missing:
        return time.monotonic() - began
    if os.geteuid() != 0 or not (shutil.which("debootstrap") or shutil.which("apt-get")):
        raise NoEngine(f"no registry and no way to build stand-ins for {', '.join(missing)}")
    with _locked():
        if not shutil.which("debootstrap"):
            subprocess.run(
                ["apt-get", "install", "-y", "-qq", "debootstrap"], capture_output=True, timeout=600
            )
        done = subprocess.run(
            [str(SCRIPTS / "build-images.sh")], capture_output=True, text=True, timeout=1200
        )
    if done.returncode != 0:
        raise RuntimeError(
            f"stand-in images failed to build:\n{(done.stdout + done.stderr)[-3000:]}"
        )
    return time.monotonic() - began
