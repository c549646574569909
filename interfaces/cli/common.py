"""What every CLI command shares: settings from the environment and the data dir."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from infrastructure.bootstrap import Container, NotConfigured, bootstrap
from infrastructure.settings import Settings

DataDirOption = typer.Option(
    Path(os.environ.get("DATA_DIR", ".kairos")), "--data-dir", help="Where `kairos up` keeps data"
)


def load_settings(data_dir: Path | None = None) -> Settings:
    settings = Settings()
    if data_dir is not None:
        settings = settings.model_copy(update={"data_dir": data_dir})
    return settings.with_runtime()


def load_container(data_dir: Path | None = None) -> Container:
    try:
        return bootstrap(load_settings(data_dir))
    except NotConfigured as error:
        typer.secho(str(error), fg="red", err=True)
        raise typer.Exit(2) from None


def configure_logging(name: str) -> None:
    """LOG_LEVEL and LOG_FORMAT (text|json) from the settings; see infrastructure/logging.py."""
    from infrastructure.logging import configure_logging as configure

    settings = Settings()
    configure(name, settings.log_level, settings.log_format)
