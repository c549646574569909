"""`kairos up`: embedded servers when no URLs are set, migrations, fakes, and every process
as a supervised child with prefixed logs. Ctrl-C stops everything."""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path
from typing import Any

import psycopg
import typer
from psycopg import sql

from infrastructure.bootstrap import child_environment, explicit_settings
from infrastructure.embedded import EmbeddedRedis, detach_but_die_with_parent, stable_port
from infrastructure.embedded_postgres import EmbeddedPostgres
from infrastructure.postgres.database import database_url_for
from infrastructure.postgres.migrate import prepare_database
from infrastructure.settings import RUNTIME_FILE
from interfaces.cli.web import WEB, bundle_is_stale, ensure_bundle
from stand_ins.sendgrid import fake_sendgrid_env

COLOURS = {"api": 32, "projector": 36, "relay": 35, "worker": 33, "beat": 34, "fakes": 37}


@dataclass
class Child:
    name: str
    args: list[str]
    process: subprocess.Popen[bytes] | None = None
    restarts: int = 0
    started_at: float = field(default=0.0)
    restart_at: float | None = None


FIRST = ("fakes", "api")
API_HEAD_START = 30.0  # seconds the others wait at most for the API's first answer


def wait_for_health(port: int, first: list[Child], stop: threading.Event, limit: float) -> bool:
    """Polls the API's /health until it answers, one of `first` exits, `stop` or `limit`."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and not stop.is_set():
        if any(c.process is not None and c.process.poll() is not None for c in first):
            return False
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1) as r:
                if r.status == 200:
                    return True
        except (OSError, ValueError):
            pass
        stop.wait(0.1)
    return False


def _secret_key(data_dir: Path) -> str:
    path = data_dir / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def _ensure_database(server_url: str, name: str) -> str:
    with psycopg.connect(server_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return database_url_for(server_url, name)


def _pump(child: Child, stream: object) -> None:
    colour = COLOURS.get(child.name, 37)
    prefix = (
        f"\033[{colour}m{child.name:>9} |\033[0m " if sys.stdout.isatty() else f"{child.name:>9} | "
    )
    for line in iter(stream.readline, b""):  # type: ignore[attr-defined]
        sys.stdout.write(prefix + line.decode(errors="replace"))
        sys.stdout.flush()


def _start(child: Child, env: dict[str, str]) -> None:
    child.process = subprocess.Popen(
        [sys.executable, "-m", "interfaces.cli.main", *child.args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        preexec_fn=detach_but_die_with_parent,
    )
    child.started_at = time.monotonic()
    threading.Thread(target=_pump, args=(child, child.process.stdout), daemon=True).start()


def restart_delay(child: Child, now: float) -> float:
    """Backs off (2, 4, ... 32 s) while a child keeps dying young; 1 s after a long run."""
    if now - child.started_at >= 30:
        child.restarts = 0
        return 1.0
    return min(30.0, 2.0 ** min(child.restarts, 5))


def supervise(children: list[Child], env: dict[str, str], stop: threading.Event) -> None:
    """Restarts a child that died, without pausing the watch over the others."""
    while not stop.is_set():
        now = time.monotonic()
        for child in children:
            if child.restart_at is not None:
                if now >= child.restart_at:
                    child.restart_at = None
                    _start(child, env)
                continue
            if child.process is not None and child.process.poll() is not None:
                child.restarts += 1
                delay = restart_delay(child, now)
                child.restart_at = now + delay
                typer.secho(
                    f"{child.name} exited ({child.process.returncode}); restarting in {delay:.0f}s",
                    fg="yellow",
                )
        stop.wait(0.2)


def hold_data_dir(data_dir: Path) -> Any:
    """One `kairos up` per data dir: an exclusive lock held while it runs (released by the
    kernel however the process ends). Exits with a message when another one holds it."""
    handle = (data_dir / "up.lock").open("a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "?"
        typer.secho(
            f"another `kairos up` (pid {holder}) is running with {data_dir}; stop it first",
            fg="red",
            err=True,
        )
        raise typer.Exit(1) from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    return handle


def run_up(port: int, data_dir: Path, with_fakes: bool | None = None) -> None:
    data_dir = data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    lock = hold_data_dir(data_dir)
    settings = explicit_settings(data_dir=data_dir)
    stop = threading.Event()
    # A closed terminal sends SIGHUP: stop as cleanly as on Ctrl-C (children, then servers).
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda *_: stop.set())

    # The web bundle builds beside the servers' start; the API serves it once it is there.
    def build_web() -> None:
        if ensure_bundle() and building_at_start:
            typer.secho(f"web app ready: http://127.0.0.1:{port}/", fg="green")

    building_at_start = bundle_is_stale()
    web_build = threading.Thread(target=build_web, daemon=True)
    web_build.start()

    pg_server: EmbeddedPostgres | None = None
    redis_server: EmbeddedRedis | None = None
    database_url = settings.database_url
    if not database_url:
        typer.echo(f"starting embedded PostgreSQL in {data_dir / 'pgdata'} ...")
        pg_server = EmbeddedPostgres(data_dir)
        database_url = _ensure_database(pg_server.start(), "kairos")
    redis_url = settings.redis_url
    if not redis_url:
        redis_server = EmbeddedRedis(data_dir)
        redis_url = redis_server.start()
    typer.echo("applying migrations ...")
    prepare_database(database_url)

    runtime: dict[str, str] = {
        "database_url": database_url,
        "redis_url": redis_url,
        "secret_key": settings.secret_key or _secret_key(data_dir),
        "public_url": settings.public_url
        if "public_url" in settings.model_fields_set
        else f"http://127.0.0.1:{port}",
    }
    children = [
        Child("api", ["api", "--port", str(port), "--data-dir", str(data_dir)]),
        Child("projector", ["projector", "--data-dir", str(data_dir)]),
        Child("relay", ["relay", "--data-dir", str(data_dir)]),
        Child("worker", ["worker", "--data-dir", str(data_dir)]),
        Child("beat", ["beat", "--data-dir", str(data_dir)]),
    ]
    fakes_url = None
    fake_env: dict[str, str] = {}
    if with_fakes is None:
        with_fakes = not all(
            [
                settings.sendgrid_api_key,
                settings.tmdb_api_key,
                settings.watchmode_api_key,
                settings.gemini_api_key,
            ]
        )
    if with_fakes:
        # The same port and state folder on every start: stored poster URLs, mailbox links
        # and availability changes outlive a restart.
        fakes_port = stable_port(data_dir, "fakes")
        fakes_url = f"http://127.0.0.1:{fakes_port}"
        fakes_args = ["fakes", "--port", str(fakes_port), "--state-dir", str(data_dir / "fakes")]
        children.insert(0, Child("fakes", fakes_args))
        fake_env["FAKE_SENDGRID_VERIFIED_SENDER"] = parseaddr(settings.mail_from)[1]
        if not settings.sendgrid_api_key:
            runtime["sendgrid_host"] = fakes_url
            runtime["sendgrid_api_key"] = "SG.local-fake"
            fake_env.update(fake_sendgrid_env(f"http://127.0.0.1:{port}/webhooks/sendgrid"))
            runtime["sendgrid_webhook_public_key"] = fake_env.pop("public_key")
        if not settings.tmdb_api_key:
            runtime["tmdb_base_url"] = fakes_url
            runtime["tmdb_api_key"] = "local-fake"
            runtime["demo_data"] = "true"
        if not settings.watchmode_api_key:
            runtime["watchmode_base_url"] = fakes_url
            runtime["watchmode_api_key"] = "local-fake"
        if not settings.gemini_api_key:
            runtime["gemini_base_url"] = fakes_url
            runtime["gemini_api_key"] = "local-fake"  # suggestions go to the Gemini fake
    runtime_path = data_dir / RUNTIME_FILE
    runtime_path.write_text(json.dumps(runtime, indent=2))
    runtime_path.chmod(0o600)

    env = child_environment(
        {
            **{k.upper(): v for k, v in runtime.items()},
            "DATA_DIR": str(data_dir),
            "PYTHONUNBUFFERED": "1",
            **fake_env,
        }
    )
    # The API (and the fakes it calls) first; the others once it answers /health, so on a
    # 2-core machine six interpreters importing at once do not delay the first answer.
    first = [c for c in children if c.name in FIRST]
    for child in first:
        _start(child, env)
    wait_for_health(port, first, stop, API_HEAD_START)
    for child in children:
        if child not in first and not stop.is_set():
            _start(child, env)

    if web_build.is_alive():
        app_line = (
            f"  App      http://127.0.0.1:{port}/  (building the web app; it says when ready)"
        )
    elif (WEB / "dist" / "index.html").exists():
        app_line = f"  App      http://127.0.0.1:{port}/"
    else:
        app_line = "  App      not built (see above); the API runs without it"
    typer.secho(
        f"\nKairos is up.\n{app_line}\n  API      http://127.0.0.1:{port}  (docs: /docs)",
        fg="green",
    )
    if fakes_url:
        typer.secho(f"  Mailbox  {fakes_url}/mailbox  (JSON: /_mailbox)", fg="green")
    typer.secho(f"  Data     {data_dir}\nPress Ctrl-C to stop.\n", fg="green")

    try:
        supervise(children, env, stop)
    finally:
        typer.echo("\nstopping ...")
        for child in reversed(children):
            if child.process and child.process.poll() is None:
                child.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for child in children:
            if child.process:
                try:
                    child.process.wait(max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    typer.secho(f"{child.name} did not stop in time: killed", fg="yellow")
                    os.killpg(child.process.pid, signal.SIGKILL)
                    child.process.wait(5)  # gone before we say "stopped"
        runtime_path.unlink(missing_ok=True)
        if redis_server:
            redis_server.stop()
        if pg_server is not None:
            pg_server.stop()
        typer.echo("stopped.")
        lock.close()
