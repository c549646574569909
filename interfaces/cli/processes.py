"""Long-running processes: api, projector, relay, worker, beat, fakes."""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from typing import Any

import typer

from infrastructure.celery_app import CeleryPublisher, configure_celery
from infrastructure.postgres.leadership import Leadership
from infrastructure.postgres.notifications import NotificationWaiter
from infrastructure.postgres.projector import Projector
from infrastructure.relay import Relay
from infrastructure.settings import Settings
from interfaces.cli.common import DataDirOption, configure_logging, load_container, load_settings

app = typer.Typer()


def _stop_on_signals() -> threading.Event:
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    return stop


def _channels(container) -> list[str]:  # type: ignore[no-untyped-def]
    return [a.recorder.channel_name for a in container.applications.values()]


@app.command()
def migrate(data_dir: Path = DataDirOption) -> None:
    """Apply the migrations and create the event stores' tables (idempotent; safe to run
    from several processes at once). `kairos up` does this itself."""
    from infrastructure.postgres.migrate import prepare_database

    settings = load_settings(data_dir)
    if not settings.database_url:
        typer.secho("no database: set DATABASE_URL", fg="red", err=True)
        raise typer.Exit(2)
    prepare_database(settings.database_url)
    typer.echo("database is up to date")


@app.command()
def api(
    port: int = typer.Option(8000, "--port"),
    host: str = typer.Option("127.0.0.1", "--host"),
    workers: int = typer.Option(1, "--workers"),
    data_dir: Path = DataDirOption,
) -> None:
    """Serve the HTTP API."""
    import os

    import uvicorn

    configure_logging("api")
    settings = load_settings(data_dir)
    os.environ.setdefault("DATA_DIR", str(data_dir))
    proxies = proxy_options(settings)
    if workers > 1:
        uvicorn.run(
            "interfaces.http.app:app_factory",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_config=None,
            **proxies,
        )
        return
    from interfaces.http.app import create_app

    container = load_container(settings.data_dir)
    uvicorn.run(create_app(container), host=host, port=port, log_config=None, **proxies)


def proxy_options(settings: Settings) -> dict[str, Any]:
    """uvicorn trusts X-Forwarded-For from 127.0.0.1 unless told otherwise, so any local
    client could pick its own address for the rate limits; trust only configured proxies."""
    allowed = settings.forwarded_allow_ips.strip()
    if not allowed:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": allowed}


BatchSizeOption = typer.Option(1000, "--batch-size", min=1, help="Events per transaction")
PollOption = typer.Option(1.0, "--poll-interval", min=0.05, help="Seconds between polls")


@app.command()
def projector(
    data_dir: Path = DataDirOption,
    batch_size: int = BatchSizeOption,
    poll_interval: float = PollOption,
) -> None:
    """Run every projection (one active instance; others wait as hot standby)."""
    configure_logging("projector")
    container = load_container(data_dir)
    url = container.settings.database_url or ""
    stop = _stop_on_signals()
    Projector(
        container.database, container.applications, container.projections(), batch_size
    ).run_forever(
        stop,
        Leadership(url, "projector"),
        NotificationWaiter(url, _channels(container)),
        poll_interval=poll_interval,
    )
    container.close()


@app.command()
def relay(
    data_dir: Path = DataDirOption,
    poll_interval: float = PollOption,
    only: list[str] = typer.Option(
        None,
        "--only",
        help="Publish only these event logs (identity, myvod, esm): one relay per partition,"
        " each with its own lock. Never run an unpartitioned relay next to partitioned ones.",
    ),
) -> None:
    """Publish outbox events as Celery tasks (one active instance per partition)."""
    configure_logging("relay")
    container = load_container(data_dir)
    unknown = sorted(set(only or ()) - set(container.applications))
    if unknown:
        typer.secho(
            f"unknown event log {unknown[0]}; known: {', '.join(container.applications)}", err=True
        )
        raise typer.Exit(2)
    applications = {n: a for n, a in container.applications.items() if not only or n in only}
    lock = "relay" if not only else "relay:" + ",".join(sorted(applications))
    url = container.settings.database_url or ""
    celery = configure_celery(container.settings)
    publisher = CeleryPublisher(celery, container.settings.celery_queue)
    stop = _stop_on_signals()
    channels = [a.recorder.channel_name for a in applications.values()]  # type: ignore[attr-defined]
    Relay(container.database, applications, container.outbox_rules(), publisher).run_forever(
        stop,
        Leadership(url, lock),
        NotificationWaiter(url, channels),
        poll_interval=poll_interval,
    )
    container.close()


@app.command()
def worker(
    concurrency: int = typer.Option(2, "--concurrency"), data_dir: Path = DataDirOption
) -> None:
    """Run a Celery worker."""
    from interfaces.tasks.schedule import beat_schedule

    configure_logging("worker")
    settings = load_settings(data_dir)
    celery = configure_celery(settings, beat_schedule(settings.beat_interval_seconds))
    celery.worker_main(
        ["worker", "--loglevel=INFO", f"--concurrency={concurrency}", "-Q", settings.celery_queue]
    )


@app.command()
def beat(data_dir: Path = DataDirOption) -> None:
    """Run Celery beat (periodic ticks only)."""
    from interfaces.tasks.schedule import beat_schedule

    configure_logging("beat")
    settings = load_settings(data_dir)
    celery = configure_celery(settings, beat_schedule(settings.beat_interval_seconds))
    data_dir.mkdir(parents=True, exist_ok=True)
    celery.start(["beat", "--loglevel=INFO", "--schedule", str(data_dir / "celerybeat-schedule")])


@app.command()
def fakes(
    port: int = typer.Option(8025, "--port"), host: str = typer.Option("127.0.0.1", "--host")
) -> None:
    """Serve the local fakes of SendGrid, TMDB, Watchmode and Gemini on one port."""
    import uvicorn

    from stand_ins.server import create_fakes_app

    uvicorn.run(create_fakes_app(), host=host, port=port, log_level="warning")
