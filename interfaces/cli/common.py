"""What every CLI command shares: settings and the container from the composition root."""

from __future__ import annotations

from pathlib import Path

import typer

from infrastructure.bootstrap import Container, NotConfigured, bootstrap, configured_settings
from infrastructure.settings import Settings

DataDirOption = typer.Option(
    None,
    "--data-dir",
    help="Where `kairos up` keeps data [default: $DATA_DIR, else .kairos]",
    show_default=False,
)


def load_settings(data_dir: Path | None = None) -> Settings:
    return configured_settings(data_dir)


def database_url(data_dir: Path | None = None) -> str:
    """The configured database's URL; exits 2 with a hint when there is none."""
    url = load_settings(data_dir).database_url
    if not url:
        typer.secho("no database: set DATABASE_URL, or run `kairos up` here first", err=True)
        raise typer.Exit(2)
    return url


def load_container(source: Path | Settings | None = None) -> Container:
    """The container on these settings (or those of this data dir)."""
    settings = source if isinstance(source, Settings) else load_settings(source)
    try:
        return bootstrap(settings)
    except NotConfigured as error:
        typer.secho(str(error), fg="red", err=True)
        raise typer.Exit(2) from None


def configure_logging(name: str, settings: Settings | None = None) -> None:
    """LOG_LEVEL and LOG_FORMAT (text|json) from the settings; see infrastructure/logging.py."""
    from infrastructure.logging import configure_logging as configure

    settings = settings or load_settings()
    configure(name, settings.log_level, settings.log_format)
