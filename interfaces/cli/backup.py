"""`kairos backup FILE` / `kairos restore FILE` (docs/operations.md, "Backup and restore")."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

from infrastructure.postgres.backup import Manifest
from interfaces.cli.common import DataDirOption, database_url, load_container

FileArgument = typer.Argument(..., help="The backup file ('-' for stdout/stdin)")


class Bars:
    """One progress bar per table, on stderr (stdout may carry the backup itself)."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.tasks: dict[str, TaskID] = {}

    def totals(self, manifest: Manifest) -> None:
        for table, rows in manifest.rows.items():
            self.tasks[table] = self.progress.add_task(table, total=max(rows, 1))

    def advance(self, table: str, rows: int) -> None:
        self.progress.advance(self.tasks[table], rows)

    def finish(self) -> None:
        for task in self.tasks.values():
            self.progress.update(task, completed=self.progress.tasks[task].total)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description:<22}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True),
    )


@contextlib.contextmanager
def _output(target: str) -> Iterator[IO[bytes]]:
    """stdout, or a private temporary file renamed into place only when complete."""
    if target == "-":
        yield sys.stdout.buffer
        return
    path = Path(target).resolve()
    handle, temporary = tempfile.mkstemp(prefix=".kairos-backup-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            yield out
        os.chmod(temporary, 0o600)  # the vault keys decrypt every email in it
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def register(app: typer.Typer) -> None:
    @app.command("backup")
    def backup(file: str = FileArgument, data_dir: Path = DataDirOption) -> None:
        """Write the event logs, vault keys, chain anchors and task state to FILE."""
        from infrastructure.postgres.backup import BackupError
        from infrastructure.postgres.backup import backup as write_backup

        url = database_url(data_dir)
        try:
            with _progress() as progress, _output(file) as out:
                bars = Bars(progress)
                manifest = write_backup(url, out, progress=bars.advance, on_start=bars.totals)
                bars.finish()
        except BackupError as error:
            typer.secho(str(error), fg="red", err=True)
            raise typer.Exit(1) from None
        events = sum(manifest.heads.values())
        typer.secho(
            f"backup written: {events} events, {manifest.rows['vault.subject_keys']} vault keys,"
            f" {manifest.rows['audit.chain_anchors']} chain anchors"
            + ("" if file == "-" else f" -> {file} (mode 0600; encrypt it at rest)"),
            err=True,
        )

    @app.command("restore")
    def restore(file: str = FileArgument, data_dir: Path = DataDirOption) -> None:
        """Restore FILE into an empty database, then rebuild every read model."""
        from infrastructure.postgres.backup import BackupError
        from infrastructure.postgres.backup import restore as read_backup
        from infrastructure.postgres.migrate import prepare_database
        from infrastructure.postgres.projector import Projector
        from interfaces.cli.projections import rebuild_with_progress

        url = database_url(data_dir)
        typer.echo("applying migrations ...", err=True)
        prepare_database(url)
        source = sys.stdin.buffer if file == "-" else _open(file)
        try:
            with _progress() as progress:
                bars = Bars(progress)
                manifest = read_backup(url, source, progress=bars.advance, on_start=bars.totals)
                bars.finish()
        except BackupError as error:
            typer.secho(f"nothing restored: {error}", fg="red", err=True)
            raise typer.Exit(1) from None
        finally:
            source.close()
        typer.echo(f"restored the backup of {manifest.created_at}; rebuilding read models ...")
        container = load_container(data_dir)
        try:
            projector = Projector(
                container.database, container.applications, container.projections()
            )
            rebuild_with_progress(container, projector, list(projector.projections))
            mismatch = _secret_mismatch(container)
        finally:
            container.close()
        if mismatch:
            typer.secho(mismatch, fg="yellow", err=True)
        typer.secho(
            "restored: read models rebuilt. Next: `kairos audit verify`; empty the broker's"
            " queue before starting workers (docs/operations.md, Backup and restore).",
            fg="green",
        )


def _open(file: str) -> IO[bytes]:
    try:
        return Path(file).open("rb")
    except OSError as error:
        typer.secho(f"cannot read {file}: {error.strerror}", fg="red", err=True)
        raise typer.Exit(2) from None


def _secret_mismatch(container: object) -> str | None:
    """Account ids are keyed hashes of emails under SECRET_KEY: with another secret, nobody
    could log in. One account whose email is still in the vault tells."""
    database = container.database  # type: ignore[attr-defined]
    identity = container.identity  # type: ignore[attr-defined]
    for row in database.fetch_all("SELECT id FROM app.accounts ORDER BY registered_at LIMIT 20"):
        email = identity.email_of(row["id"])
        if email is None:
            continue  # erased
        vault = container.vault  # type: ignore[attr-defined]
        derive = getattr(vault, "current_subject_for", vault.subject_for)
        if derive(email) != row["id"]:
            return (
                "warning: SECRET_KEY is not the one this data was written with; accounts will"
                " not be found by email. Restart with the original SECRET_KEY."
            )
        return None
    return None
