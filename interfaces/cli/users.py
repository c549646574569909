"""`kairos users ...`"""

from __future__ import annotations

from pathlib import Path

import typer

from interfaces.cli.common import DataDirOption, load_container

app = typer.Typer(help="Manage accounts.")


@app.command("add")
def add(
    email: str,
    password: str = typer.Option(..., "--password", "-p"),
    role: list[str] = typer.Option(["member"], "--role", "-r", help="repeatable"),
    data_dir: Path | None = DataDirOption,
) -> None:
    """Create an account (or grant the roles to an existing one)."""
    from domain.shared.errors import DomainError

    container = load_container(data_dir)
    try:
        account_id, _position = container.identity.ensure_account(email, password, tuple(role))
    except DomainError as error:
        typer.secho(f"error: {error}", fg="red", err=True)
        raise typer.Exit(1) from None
    finally:
        container.close()
    typer.echo(f"{account_id} {email} roles={','.join(role)}")
