"""Long-running processes: api, projector, relay, worker, beat, fakes. Each asks the
composition root (infrastructure/bootstrap.py) for its settings and parts."""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from typing import Any

import typer

from infrastructure import bootstrap
from infrastructure.settings import Settings
from interfaces.cli.common import DataDirOption, configure_logging, load_container, load_settings

app = typer.Typer()


def _stop_on_signals() -> threading.Event:
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    return stop


@app.command()
def migrate(data_dir: Path | None = DataDirOption) -> None:
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
    data_dir: Path | None = DataDirOption,
) -> None:
    """Serve the HTTP API."""
    import uvicorn

    settings = load_settings(data_dir)
    configure_logging("api", settings)
    proxies = proxy_options(settings)
    if workers > 1:
        # each uvicorn worker builds its container with app_factory, from the same data dir
        bootstrap.export_data_dir(settings.data_dir)
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

    container = load_container(settings)
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
    data_dir: Path | None = DataDirOption,
    batch_size: int = BatchSizeOption,
    poll_interval: float = PollOption,
) -> None:
    """Run every projection (one active instance; others wait as hot standby)."""
    settings = load_settings(data_dir)
    configure_logging("projector", settings)
    container = load_container(settings)
    stop = _stop_on_signals()
    container.projector(batch_size).run_forever(
        stop, container.leadership("projector"), container.waiter(), poll_interval=poll_interval
    )
    container.close()


@app.command()
def relay(
    data_dir: Path | None = DataDirOption,
    poll_interval: float = PollOption,
    only: list[str] = typer.Option(
        None,
        "--only",
        help="Publish only these event logs (identity, myvod, esm): one relay per partition,"
        " each with its own lock. Never run an unpartitioned relay next to partitioned ones.",
    ),
) -> None:
    """Publish outbox events as Celery tasks (one active instance per partition)."""
    settings = load_settings(data_dir)
    configure_logging("relay", settings)
    container = load_container(settings)
    unknown = sorted(set(only or ()) - set(container.applications))
    if unknown:
        typer.secho(
            f"unknown event log {unknown[0]}; known: {', '.join(container.applications)}", err=True
        )
        raise typer.Exit(2)
    relay = container.relay(bootstrap.publisher(settings), only or ())
    lock = "relay" if not only else "relay:" + ",".join(sorted(relay.applications))
    stop = _stop_on_signals()
    relay.run_forever(
        stop,
        container.leadership(lock),
        container.waiter(relay.applications),
        poll_interval=poll_interval,
    )
    container.close()


@app.command()
def worker(
    concurrency: int = typer.Option(2, "--concurrency"), data_dir: Path | None = DataDirOption
) -> None:
    """Run a Celery worker."""
    from interfaces.tasks import runtime
    from interfaces.tasks.schedule import beat_schedule

    settings = load_settings(data_dir)
    configure_logging("worker", settings)
    runtime.configure(settings)  # the tasks run on the worker's own settings, nothing else
    celery = bootstrap.celery(settings, beat_schedule(settings.beat_interval_seconds))
    celery.worker_main(
        ["worker", "--loglevel=INFO", f"--concurrency={concurrency}", "-Q", settings.celery_queue]
    )


@app.command()
def beat(data_dir: Path | None = DataDirOption) -> None:
    """Run Celery beat (periodic ticks only)."""
    from interfaces.tasks.schedule import beat_schedule

    settings = load_settings(data_dir)
    configure_logging("beat", settings)
    celery = bootstrap.celery(settings, beat_schedule(settings.beat_interval_seconds))
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    schedule_file = str(settings.data_dir / "celerybeat-schedule")
    celery.start(["beat", "--loglevel=INFO", "--schedule", schedule_file])


@app.command()
def fakes(
    port: int = typer.Option(8025, "--port"),
    host: str = typer.Option("127.0.0.1", "--host"),
    state_dir: Path | None = typer.Option(
        None, "--state-dir", help="keep the mailbox and availability changes here"
    ),
) -> None:
    """Serve the local stand-ins of SendGrid, TMDB, Watchmode and Gemini on one port."""
    import uvicorn

    from stand_ins.server import create_fakes_app

    config = bootstrap.stand_in_settings()
    app = create_fakes_app(
        sendgrid_webhook_url=config.fake_sendgrid_webhook_url,
        sendgrid_signing_key=config.fake_sendgrid_signing_key,
        verified_senders=[config.fake_sendgrid_verified_sender or ""],
        state_dir=state_dir,
    )
    uvicorn.run(app, host=host, port=port, log_level="warning")
