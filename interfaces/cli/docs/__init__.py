"""`kairos docs events|api [--write]`: documents generated from the code (the event catalogue
from domain/, the HTTP reference from the OpenAPI schema). The generators live beside this
command (events.py, api.py): tooling of the CLI, not part of the running product."""

from __future__ import annotations

import importlib
from pathlib import Path

import typer

docs_app = typer.Typer(help="Generated documentation.")


def _print_or_write(generator: str, write: bool) -> None:
    """`generator` is the module beside this one (events, api): render() and write()."""
    module = importlib.import_module(f"interfaces.cli.docs.{generator}")
    text = module.render()
    if not write:
        typer.echo(text, nl=False)
        return
    path: Path = module.DOC
    changed = not path.exists() or path.read_text() != text
    if changed:
        path.write_text(text)
    typer.echo(f"{path} {'updated' if changed else 'already up to date'}")


@docs_app.command("events")
def events(
    write: bool = typer.Option(False, "--write", help="Write docs/events.md instead of printing"),
) -> None:
    """Print (or write) the catalogue of every event type, from the code."""
    _print_or_write("events", write)


@docs_app.command("api")
def api(
    write: bool = typer.Option(False, "--write", help="Write docs/api.md instead of printing"),
) -> None:
    """Print (or write) the HTTP API reference, from the OpenAPI schema."""
    _print_or_write("api", write)


@docs_app.command("openapi")
def openapi(
    write: bool = typer.Option(
        False, "--write", help="Write interfaces/web/openapi.json instead of printing"
    ),
) -> None:
    """Print (or write) the OpenAPI schema the web app's client is generated from; after
    --write, run `npm run generate` in interfaces/web."""
    from interfaces.cli.docs.api import OPENAPI_JSON, render_openapi, write_openapi

    if write:
        changed = write_openapi()
        typer.echo(f"{OPENAPI_JSON} {'updated' if changed else 'already up to date'}")
    else:
        typer.echo(render_openapi(), nl=False)


def register(app: typer.Typer) -> None:
    app.add_typer(docs_app, name="docs")
