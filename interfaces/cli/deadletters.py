"""`kairos deadletters list|replay ID`: inspect tasks that failed for good, replay them."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from domain.shared.errors import DomainError
from infrastructure.deadletters import list_dead_letters, replay
from interfaces.cli.common import DataDirOption, load_container

app = typer.Typer(help="Inspect and replay dead-lettered tasks.", no_args_is_help=True)


@app.command("list")
def list_command(
    all_: bool = typer.Option(False, "--all", help="Include replayed ones"),
    as_json: bool = typer.Option(False, "--json", help="One JSON array"),
    data_dir: Path | None = DataDirOption,
) -> None:
    """Dead letters awaiting an operator (oldest first)."""
    container = load_container(data_dir)
    letters = list_dead_letters(container.database, include_replayed=all_)
    container.close()
    if as_json:
        rows = [
            {
                **letter.__dict__,
                "failed_at": letter.failed_at.isoformat(),
                "replayed_at": letter.replayed_at.isoformat() if letter.replayed_at else None,
            }
            for letter in letters
        ]
        typer.echo(json.dumps(rows, indent=2))
        return
    if not letters:
        typer.echo("no dead letters")
        return
    table = Table("id", "task", "task id", "attempts", "failed at", "replayed at", "error")
    for letter in letters:
        table.add_row(
            str(letter.id),
            letter.task_name,
            letter.task_id,
            str(letter.attempts),
            letter.failed_at.isoformat(timespec="seconds"),
            letter.replayed_at.isoformat(timespec="seconds") if letter.replayed_at else "",
            letter.error[:80],
        )
    Console().print(table)


@app.command("replay")
def replay_command(
    letter_id: int = typer.Argument(...), data_dir: Path | None = DataDirOption
) -> None:
    """Publish the task again with the same kwargs and task id; marks it replayed."""
    from infrastructure.bootstrap import publisher as build_publisher

    container = load_container(data_dir)
    publisher = build_publisher(container.settings)
    try:
        letter = replay(container.database, publisher, letter_id)
    except DomainError as error:
        typer.secho(str(error), fg="red", err=True)
        raise typer.Exit(1) from None
    finally:
        container.close()
    typer.echo(f"replayed {letter.id}: {letter.task_name} {letter.task_id}")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="deadletters")
