"""`kairos privacy erase EMAIL`"""

from __future__ import annotations

from pathlib import Path

import typer

from interfaces.cli.common import DataDirOption, load_container

app = typer.Typer(help="Personal data: the right to erasure.")


@app.command("erase")
def erase(
    email: str = typer.Argument(..., help="The person's email address"),
    data_dir: Path | None = DataDirOption,
) -> None:
    """Delete the person's key: every sealed value of theirs in the event log becomes
    unreadable (shown as "[erased]"); no event is edited. Their account is erased and its
    sessions end; the address may sign up again later, as a new account."""
    from domain.shared.errors import DomainError

    container = load_container(data_dir)
    try:
        erasure = container.identity.erase_person(email)
    except DomainError as error:
        typer.secho(f"error: {error}", fg="red", err=True)
        raise typer.Exit(1) from None
    finally:
        container.close()
    what = "key deleted" if erasure.key_deleted else "no key was stored (already erased)"
    typer.echo(f"erased subject {erasure.subject_id}: {what}")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="privacy")
