"""The `kairos` command."""

from __future__ import annotations

from pathlib import Path

import typer

from interfaces.cli import processes, projections, users

app = typer.Typer(no_args_is_help=True, help="Kairos: MyVOD and ESMpress on one event store.")


@app.command()
def up(
    port: int = typer.Option(8000, "--port", help="API port"),
    data_dir: Path = typer.Option(
        Path(".kairos"), "--data-dir", help="Where embedded servers keep data"
    ),
) -> None:
    """Start everything: embedded PostgreSQL and Redis (unless URLs are set), fakes, api,
    projector, relay, worker and beat."""
    from interfaces.cli.up import run_up

    run_up(port, data_dir)


for command in ("migrate", "api", "projector", "relay", "worker", "beat", "fakes"):
    app.registered_commands.append(
        next(
            c
            for c in processes.app.registered_commands
            if c.callback and c.callback.__name__ == command
        )
    )
app.add_typer(users.app, name="users")
app.add_typer(projections.app, name="projections")

OPTIONAL = (
    "audit",
    "bench",
    "demo",
    "myvod",
    "privacy",
    "deadletters",
    "docs",
    "stack",
    "analysts",
    "backup",
    "web",
)
for optional in OPTIONAL:
    try:
        module = __import__(f"interfaces.cli.{optional}", fromlist=["register"])
    except ModuleNotFoundError:
        continue
    module.register(app)


if __name__ == "__main__":
    app()
