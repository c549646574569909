"""`kairos stack build|up|down`: the self-hoster's commands around compose.yaml."""

from __future__ import annotations

import time
from pathlib import Path

import typer

from infrastructure import bootstrap
from infrastructure.stack.compose import (
    ROOT,
    Stack,
    StackError,
    build_image,
    docker_available,
    image_exists,
)

stack_app = typer.Typer(help="Run compose.yaml: build offline, start, wait, stop.")

ProjectOption = typer.Option(
    "kairos", "--project", "-p", help="Compose project name (containers, volumes)"
)
EnvFileOption = typer.Option(
    ROOT / ".env", "--env-file", help="Where the stack's secrets are kept (written on first use)"
)


def _say(message: str) -> None:
    typer.echo(f"stack: {message}")


def _fail(error: Exception) -> typer.Exit:
    typer.secho(str(error), fg="red", err=True)
    return typer.Exit(1)


def _stack(project: str, env_file: Path) -> Stack:
    problem = docker_available()
    if problem:
        typer.secho(f"{problem}: see docs/operations.md, Containers", fg="red", err=True)
        raise typer.Exit(2)
    return Stack(project=project, env_file=env_file, environ=bootstrap.child_environment({}))


def _images(stack: Stack) -> tuple[str, str]:
    return (
        stack.setting("KAIROS_IMAGE", "kairos:latest"),
        stack.setting("KAIROS_WEB_IMAGE", "kairos-web:latest"),
    )


def build_images(stack: Stack) -> float:
    """deploy/build/ on the host (wheels, project wheel, web bundle), then both images."""
    from infrastructure.stack.build import BuildError, prepare

    began = time.monotonic()
    try:
        prepared = prepare(_say, _api_segments(), _web_policy())
    except BuildError as error:
        raise _fail(error) from None
    _say(f"deploy/build ready: {prepared.wheels} wheels, web app {prepared.web}")
    app, web = _images(stack)
    python = stack.setting("PYTHON_IMAGE", "python:3.11-slim-bookworm")
    nginx = stack.setting("NGINX_IMAGE", "nginx:1.27")
    try:
        build_image(app, "Dockerfile", {"PYTHON_IMAGE": python}, "runtime", stack.env, _say)
        build_image(web, "deploy/nginx/Dockerfile", {"NGINX_IMAGE": nginx}, None, stack.env, _say)
    except StackError as error:
        raise _fail(error) from None
    return time.monotonic() - began


def _parse_scale(values: list[str]) -> dict[str, int]:
    scale: dict[str, int] = {}
    for value in values:
        service, _, count = value.partition("=")
        if not service or not count.isdigit():
            raise typer.BadParameter(f"--scale SERVICE=N, not {value!r}")
        scale[service] = int(count)
    return scale


@stack_app.command("build")
def build(
    prepare_only: bool = typer.Option(
        False, "--prepare-only", help="Only fill deploy/build/ (for another builder, e.g. CI)"
    ),
    project: str = ProjectOption,
    env_file: Path = EnvFileOption,
) -> None:
    """Build the kairos and kairos-web images with no network inside the build."""
    if prepare_only:
        from infrastructure.stack.build import BuildError, prepare

        try:
            prepared = prepare(_say, _api_segments(), _web_policy())
        except BuildError as error:
            raise _fail(error) from None
        _say(f"deploy/build ready: {prepared.wheels} wheels, web app {prepared.web}")
        return
    took = build_images(_stack(project, env_file))
    _say(f"images built in {took:.0f}s")


@stack_app.command("up")
def up(
    build: bool = typer.Option(False, "--build", help="Rebuild both images first"),
    scale: list[str] = typer.Option(
        [], "--scale", help="SERVICE=N, e.g. --scale api=2 --scale worker=3 (repeatable)"
    ),
    timeout: float = typer.Option(300, "--timeout", help="Seconds to wait for health"),
    project: str = ProjectOption,
    env_file: Path = EnvFileOption,
) -> None:
    """Start compose.yaml (fakes for every vendor without a key), wait until healthy and
    print the URL. Builds the images first with --build, or when they are missing."""
    counts = _parse_scale(scale)
    stack = _stack(project, env_file)
    began = time.monotonic()
    if build or not all(image_exists(image) for image in _images(stack)):
        build_images(stack)
    if stack.faked:
        _say("local fakes for " + ", ".join(k.removesuffix("_API_KEY") for k in stack.faked))
    started = time.monotonic()
    try:
        stack.up(counts)
        stack.wait_healthy(timeout, _say)
    except StackError as error:
        raise _fail(error) from None
    now = time.monotonic()
    typer.secho(
        f"\nKairos is up (healthy {now - started:.1f}s after `up`, {now - began:.0f}s in all).",
        fg="green",
    )
    typer.secho(f"  Web app  {stack.url}/\n  API      {stack.url}/docs", fg="green")
    if stack.mailbox:
        typer.secho(f"  Mailbox  {stack.mailbox}  (this machine only)", fg="green")
    typer.echo(f"  Logs     docker compose -p {project} logs -f\n  Stop     kairos stack down")


@stack_app.command("down")
def down(
    volumes: bool = typer.Option(False, "--volumes", help="Also delete the data volumes"),
    project: str = ProjectOption,
    env_file: Path = EnvFileOption,
) -> None:
    """Stop and remove the containers (the data volumes stay unless --volumes)."""
    stack = _stack(project, env_file)
    try:
        stack.down(volumes)
    except StackError as error:
        raise _fail(error) from None
    _say("down" + (" and its volumes deleted" if volumes else "; data kept in its volumes"))


def register(app: typer.Typer) -> None:
    app.add_typer(stack_app, name="stack")


def _api_segments() -> list[str]:
    """The API's first path segments (nginx sends them to the API, the rest to the web app)."""
    from interfaces.http.app import route_segments

    return route_segments()


def _web_policy() -> str:
    """The Content-Security-Policy the API gives the web app (nginx sends the same; posters
    come through nginx in the stack, so no other image origin)."""
    from interfaces.http.webapp import content_security_policy

    return content_security_policy([])
