"""`kairos bench [--json] [--quick]`: the performance suite (docs/benchmarks.md)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

GROUPS = (
    ("append", ("kairos_", "stock_", "raw_")),
    ("projection", ("catchup_", "live_")),
    ("relay", ("relay_",)),
    ("api", ("api_",)),
    ("replay", ("replay_",)),
    ("planning", ("planning_",)),
    ("subscriptions", ("subscriptions_",)),
)


def register(app: typer.Typer) -> None:
    @app.command()
    def bench(
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object"),
        quick: bool = typer.Option(False, "--quick", help="About a minute, small sizes"),
        only: list[str] = typer.Option(
            [],
            "--only",
            help="Run only these (append, projection, relay, api, replay, planning, subscriptions)",
        ),
        postgres_url: str = typer.Option(
            "", "--postgres-url", help="Server to create scratch databases on"
        ),
        redis_url: str = typer.Option("", "--redis-url", help="Redis for the relay benchmark"),
        save: Path | None = typer.Option(
            None, "--save", help="Also write the JSON report to this file"
        ),
    ) -> None:
        """Measure append, projection, relay, API, audit replay, planning and the
        subscription planner side by side. Uses the local PostgreSQL and Redis when
        reachable, else embedded ones; every benchmark gets a fresh database, dropped
        afterwards."""
        from benchmarks.runner import run_all

        err = Console(stderr=True)
        report = run_all(
            quick=quick,
            only=only or None,
            postgres_url=postgres_url or None,
            redis_url=redis_url or None,
            progress=lambda name: err.print(f"[dim]running {name}...[/dim]"),
        )
        text = json.dumps(report, indent=2, default=str) + "\n"
        if save is not None:
            save.write_text(text)
        if as_json:
            sys.stdout.write(text)
        else:
            print_report(Console(), report)
        if report["errors"]:
            raise typer.Exit(1)


def print_report(console: Console, report: dict[str, Any]) -> None:
    figures = Table("benchmark", "figure", "value", title=f"kairos bench ({report['profile']})")
    for group, prefixes in GROUPS:
        for key, value in report["figures"].items():
            if key.startswith(prefixes):
                figures.add_row(
                    group, key, f"{value:,}" if isinstance(value, float) else str(value)
                )
    console.print(figures)
    targets = Table("target", "threshold", "measured", "met", title="targets (issue 7)")
    for target in report["targets"]:
        sign = ">=" if target["higher_is_better"] else "<"
        met = {True: "[green]yes[/green]", False: "[red]no[/red]", None: "-"}[target["met"]]
        value = target["value"]
        targets.add_row(
            target["label"],
            f"{sign} {target['threshold']:,}",
            "-" if value is None else f"{value:,}",
            met,
        )
    console.print(targets)
    for name, error in report["errors"].items():
        console.print(f"[red]{name} failed:[/red] {error}")
    for note in report["notes"]:
        console.print(f"[dim]- {note}[/dim]")
    seconds = ", ".join(f"{k} {v}s" for k, v in report["seconds"].items())
    console.print(f"[dim]servers: {report.get('servers')}; machine: {report['machine']}[/dim]")
    console.print(f"[dim]time: {seconds}[/dim]")
