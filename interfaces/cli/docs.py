"""`kairos docs events [--write]`: the event catalogue generated from domain/."""

from __future__ import annotations

import typer

docs_app = typer.Typer(help="Generated documentation.")


@docs_app.command("events")
def events(
    write: bool = typer.Option(False, "--write", help="Write docs/events.md instead of printing"),
) -> None:
    """Print (or write) the catalogue of every event type, from the code."""
    from infrastructure.docs_events import EVENTS_DOC, render
    from infrastructure.docs_events import write as write_doc

    if write:
        changed = write_doc()
        typer.echo(f"{EVENTS_DOC} {'updated' if changed else 'already up to date'}")
    else:
        typer.echo(render(), nl=False)


@docs_app.command("api")
def api(
    write: bool = typer.Option(False, "--write", help="Write docs/api.md instead of printing"),
) -> None:
    """Print (or write) the HTTP API reference, from the OpenAPI schema."""
    from interfaces.http.api_doc import API_DOC, render
    from interfaces.http.api_doc import write as write_doc

    if write:
        changed = write_doc()
        typer.echo(f"{API_DOC} {'updated' if changed else 'already up to date'}")
    else:
        typer.echo(render(), nl=False)


def register(app: typer.Typer) -> None:
    app.add_typer(docs_app, name="docs")
