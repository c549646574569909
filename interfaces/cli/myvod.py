"""`kairos myvod ...`: import a Letterboxd or IMDb export into a user's watchlist."""

from __future__ import annotations

from pathlib import Path

import typer

from interfaces.cli.common import DataDirOption, load_container

app = typer.Typer(help="MyVOD: watchlists that know where to watch.")
BATCH = 25
"""Rows saved together: one watchlist load per batch, progress advances per batch."""


@app.command("import")
def import_export(
    file: Path = typer.Argument(
        ..., exists=True, dir_okay=False, help="Letterboxd ZIP or CSV, or IMDb CSV"
    ),
    user: str = typer.Option(..., "--user", "-u", help="the account's email"),
    data_dir: Path | None = DataDirOption,
) -> None:
    """Import a Letterboxd export (ZIP or CSV) or an IMDb CSV: watchlist rows land to watch,
    watched and rated rows watched on their date with their rating; films match by IMDb id
    first, then title and year."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from application.myvod.importing import parse_upload
    from application.myvod.ports import UpstreamRefused, UpstreamUnavailable
    from domain.shared.errors import DomainError

    container = load_container(data_dir)
    try:
        account_id = container.identity.account_id_for(user)
        if container.authenticator.principal(account_id) is None:
            typer.secho(f"error: no active account for {user}", fg="red", err=True)
            raise typer.Exit(1)
        parsed = parse_upload(file.read_bytes(), file.name)
        kind, rows = parsed.kind, parsed.rows
        counts = {"added": 0, "updated": 0, "unchanged": 0, "unmatched": 0}
        unmatched: list[str] = []
        columns = (
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[last]}"),
        )
        with Progress(*columns) as progress:
            task = progress.add_task(f"{kind} import", total=len(rows), last="")
            for start in range(0, len(rows), BATCH):
                batch = rows[start : start + BATCH]
                outcomes = container.myvod.import_rows(account_id, batch)
                for row, outcome in zip(batch, outcomes, strict=True):
                    counts[outcome.result] += 1
                    if outcome.result == "unmatched":
                        maybe = "; ".join(
                            f"{c.title} ({c.year or '?'}, tmdb {c.tmdb_id})"
                            for c in outcome.candidates[:3]
                        )
                        unmatched.append(
                            f"{row.title} ({row.year or '?'})"
                            + (f" - maybe: {maybe}" if maybe else "")
                        )
                last = f"{outcomes[-1].result}: {batch[-1].title[:40]}"
                progress.update(task, advance=len(batch), last=last)
    except (UpstreamUnavailable, UpstreamRefused) as error:
        typer.secho(f"error: the film catalogue failed: {error}", fg="red", err=True)
        raise typer.Exit(1) from None
    except DomainError as error:
        typer.secho(f"error: {error}", fg="red", err=True)
        raise typer.Exit(1) from None
    finally:
        container.close()
    summary = ", ".join(f"{n} {k}" for k, n in counts.items())
    skipped = f", {parsed.skipped} skipped" if parsed.skipped else ""
    typer.echo(f"{len(rows)} rows: {summary}{skipped}")
    for line in unmatched:
        typer.echo(f"  unmatched: {line}")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="myvod")
