"""`kairos projections status|rebuild`"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from infrastructure.bootstrap import Container
from infrastructure.postgres.projector import Projector
from interfaces.cli.common import DataDirOption, load_container

app = typer.Typer(help="Inspect and rebuild read models.")


@app.command()
def status(data_dir: Path | None = DataDirOption) -> None:
    """Lag per projection and application."""
    container = load_container(data_dir)
    projector = container.projector()
    table = Table("projection", "application", "position", "head", "lag", "failures", "version")
    versions = projector.versions()
    for lag in projector.status():
        code = projector.projections[lag.projection].version
        stored = versions.get(lag.projection, code)
        table.add_row(
            lag.projection,
            lag.application,
            str(lag.position),
            str(lag.head),
            str(lag.lag),
            str(lag.failures),
            str(code) if stored == code else f"{code} (tables: {stored}, rebuild pending)",
        )
    Console().print(table)
    container.close()


@app.command()
def rebuild(name: str = typer.Argument(None), data_dir: Path | None = DataDirOption) -> None:
    """Rebuild one projection (or all) from the first event, with a progress bar."""
    container = load_container(data_dir)
    projector = container.projector()
    names = [name] if name else list(projector.projections)
    unknown = [n for n in names if n not in projector.projections]
    if unknown:
        typer.secho(
            f"unknown projection {unknown[0]}; known: {', '.join(projector.projections)}",
            fg="red",
            err=True,
        )
        raise typer.Exit(2)
    rebuild_with_progress(container, projector, names)
    container.close()


def rebuild_with_progress(container: Container, projector: Projector, names: list[str]) -> None:
    """Rebuilds each named projection from the first event, one progress bar each."""
    heads = {n: a.recorder.max_notification_id() or 0 for n, a in container.applications.items()}
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn()
    ) as progress:
        for projection_name in names:
            projection = projector.projections[projection_name]
            total = sum(heads.get(a, 0) for a in projection.applications)
            task = progress.add_task(projection_name, total=total or 1)

            def advance(count: int, task_id: TaskID = task) -> None:
                progress.advance(task_id, count)

            projector.rebuild(projection_name, progress=advance)
            progress.update(task, completed=total or 1)
