"""`kairos audit replay CAMPAIGN_ID [--as-of T]` and `kairos audit verify [CAMPAIGN_ID]`."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from uuid import UUID

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from infrastructure.bootstrap import Container
from interfaces.cli.common import DataDirOption, load_container

app = typer.Typer(help="Replay a campaign at any instant; prove nothing was changed.")


def _uuid(value: str) -> UUID:
    try:
        return UUID(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a campaign id (UUID)") from None


def _instant(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            "--as-of must be ISO 8601, e.g. 2026-03-01T12:00:00+00:00"
        ) from None
    if parsed.tzinfo is None:
        raise typer.BadParameter("--as-of needs a UTC offset, e.g. 2026-03-01T12:00:00+00:00")
    return parsed


def _catch_up_audit(container: Container) -> None:
    """Brings the audit projections up to date, so a CLI run without `kairos up` works."""
    from application.audit.projections import PROJECTIONS

    container.projector(projections=[cls() for cls in PROJECTIONS]).catch_up()


@app.command("replay")
def replay(
    campaign_id: str = typer.Argument(..., help="The campaign's id"),
    as_of: str = typer.Option(None, "--as-of", help="ISO 8601 instant with offset"),
    data_dir: Path | None = DataDirOption,
) -> None:
    """Print the campaign, its participants and prompts as of T, replayed from events only."""
    from domain.shared.errors import DomainError

    cid, instant = _uuid(campaign_id), _instant(as_of)
    container = load_container(data_dir)
    try:
        _catch_up_audit(container)
        state = container.audit().state(cid, instant)
    except DomainError as error:
        typer.secho(f"error: {error}", fg="red", err=True)
        raise typer.Exit(1) from None
    finally:
        container.close()
    typer.echo(json.dumps(state, indent=2, sort_keys=True))


@app.command("history")
def history(
    campaign_id: str = typer.Argument(..., help="The campaign's id"),
    after: int = typer.Option(None, "--after", help="Only events after this position"),
    limit: int = typer.Option(None, "--limit", min=1, help="At most this many events"),
    data_dir: Path | None = DataDirOption,
) -> None:
    """Print the campaign's events in commit order as JSON lines (personal data redacted)."""
    from domain.shared.errors import DomainError

    cid = _uuid(campaign_id)
    container = load_container(data_dir)
    try:
        _catch_up_audit(container)
        events = container.audit().history(cid, after, limit)
    except DomainError as error:
        typer.secho(f"error: {error}", fg="red", err=True)
        raise typer.Exit(1) from None
    finally:
        container.close()
    for event in events:
        typer.echo(json.dumps(event, sort_keys=True))


@app.command("verify")
def verify(
    campaign_id: str = typer.Argument(None, help="One campaign (default: everything)"),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON"),
    data_dir: Path | None = DataDirOption,
) -> None:
    """Re-check the hash chain and re-derive the read models from events; exit 1 on any
    difference."""
    from domain.shared.errors import DomainError

    cid = _uuid(campaign_id) if campaign_id else None
    container = load_container(data_dir)
    console = Console(stderr=True)
    try:
        _catch_up_audit(container)
        service = container.audit()
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
        )
        with Progress(*columns, console=console, transient=as_json) as progress:
            if cid is not None:
                task = progress.add_task("chain + read models", total=None)
                report = service.verify_campaign(cid, lambda n: progress.advance(task, n))
                progress.update(task, total=report.events_checked, completed=report.events_checked)
            else:
                size = service.log_size() or 1
                chain = progress.add_task("hash chain", total=size)
                derive = progress.add_task("read models", total=None)
                report = service.verify_all(
                    lambda n: progress.advance(chain, n), lambda n: progress.advance(derive, n)
                )
                progress.update(chain, total=report.events_checked, completed=report.events_checked)
                progress.update(
                    derive, total=report.events_replayed, completed=report.events_replayed
                )
    except DomainError as error:
        typer.secho(f"error: {error}", fg="red", err=True)
        raise typer.Exit(1) from None
    finally:
        container.close()
    if as_json:
        typer.echo(json.dumps(report.as_dict(), indent=2, sort_keys=True))
    else:
        _print(console, report)
    if not report.ok:
        raise typer.Exit(1)


def _print(console: Console, report: object) -> None:
    r = report.__dict__
    for difference in r["differences"]:
        d = difference.as_dict()
        where = " ".join(
            f"{k}={d[k]}" for k in ("application", "notification_id", "table", "key") if k in d
        )
        console.print(f"[red]DIFF[/red] {d['kind']}: {d['detail']} {where}")
    for name, head in r["heads"].items():
        console.print(
            f"head {name}: event {head['event_count']} at position {head['notification_id']},"
            f" link {head['link_hash']}"
        )
    status = "[green]OK[/green]" if r["ok"] else f"[red]{len(r['differences'])} differences[/red]"
    console.print(
        f"{status}: {r['events_checked']} events checked against the chain,"
        f" {r['events_replayed']} replayed, {r['rows_compared']} read-model rows compared,"
        f" {r['pending']} not yet chained"
    )


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="audit")
