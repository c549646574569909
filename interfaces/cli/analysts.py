"""`kairos analysts add|remove|list`: read-only SQL logins for analysts (docs/analysts.md)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer

from interfaces.cli.common import DataDirOption, database_url

analysts_app = typer.Typer(help="Read-only database logins for analysts (schema `read`).")


@contextmanager
def _refusals() -> Iterator[None]:
    """A bad name exits 2, any other refusal of the database exits 1 (the reason in red)."""
    from infrastructure.postgres.analysts import AnalystError, InvalidName

    try:
        yield
    except InvalidName as error:
        typer.secho(str(error), fg="red", err=True)
        raise typer.Exit(2) from None
    except AnalystError as error:
        typer.secho(str(error), fg="red", err=True)
        raise typer.Exit(1) from None


@analysts_app.command("add")
def add(
    name: str = typer.Argument(..., help="Login name, e.g. alice"),
    host: str = typer.Option(
        None, "--host", help="Host the analyst connects to, if not the one Kairos uses"
    ),
    port: int = typer.Option(None, "--port", help="Port the analyst connects to"),
    data_dir: Path = DataDirOption,
) -> None:
    """Create a login role in kairos_analyst with a generated password; prints its URL once."""
    from infrastructure.postgres.analysts import add as add_analyst

    with _refusals():
        analyst = add_analyst(database_url(data_dir), name, host=host, port=port)
    typer.secho(
        f"analyst {analyst.name} created: read-only, schema `read` only. Hand over this URL"
        " (it is shown once):",
        err=True,
    )
    typer.echo(analyst.url)


@analysts_app.command("remove")
def remove(name: str = typer.Argument(...), data_dir: Path = DataDirOption) -> None:
    """Drop an analyst's login role (and end its open sessions)."""
    from infrastructure.postgres.analysts import remove as remove_analyst

    with _refusals():
        remove_analyst(database_url(data_dir), name)
    typer.echo(f"analyst {name} removed")


@analysts_app.command("list")
def list_(data_dir: Path = DataDirOption) -> None:
    """The analysts' login roles."""
    from infrastructure.postgres.analysts import listed

    for name in listed(database_url(data_dir)):
        typer.echo(name)


def register(app: typer.Typer) -> None:
    app.add_typer(analysts_app, name="analysts")
