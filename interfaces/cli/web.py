"""Builds the web app's bundle (interfaces/web/dist) when it is missing or older than its
sources: `npm ci` (when node_modules is missing or older than the lock file), then
`npm run build`. Without Node.js 20.19+ it says so in one line and the API is served
anyway. An installed wheel ships the bundle and has no sources, so nothing is built."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterable
from pathlib import Path

import typer

from interfaces.http.webapp import building_marker

WEB = Path(__file__).resolve().parents[1] / "web"
DIST_INDEX = WEB / "dist" / "index.html"
SOURCES = (
    "src",
    "public",
    "index.html",
    "package.json",
    "package-lock.json",
    "vite.config.ts",
    "tsconfig.json",
)
MIN_NODE = (20, 19)

web_app = typer.Typer(help="The web app's bundle.")
Echo = Callable[[str], None]


def node_version() -> tuple[int, int] | None:
    node = shutil.which("node")
    if node is None:
        return None
    try:
        out = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.match(r"v(\d+)\.(\d+)", out.stdout.strip())
    return (int(match[1]), int(match[2])) if match else None


def _bundled(path: Path) -> bool:
    """A file that can change the bundle (tests and their setup cannot)."""
    return path.is_file() and ".test." not in path.name and "testing" not in path.parts


def _newest(paths: Iterable[Path]) -> float:
    newest = 0.0
    for path in paths:
        if path.is_dir():
            newest = max([newest, *(p.stat().st_mtime for p in path.rglob("*") if _bundled(p))])
        elif path.exists():
            newest = max(newest, path.stat().st_mtime)
    return newest


def bundle_is_stale(web: Path = WEB) -> bool:
    index = web / "dist" / "index.html"
    if not index.exists():
        return True
    return _newest(web / name for name in SOURCES) > index.stat().st_mtime


def _run(args: list[str], web: Path, echo: Echo) -> bool:
    process = subprocess.Popen(
        args, cwd=web, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert process.stdout is not None
    for line in process.stdout:
        if line.strip():
            echo(f"      web | {line.rstrip()}")
    return process.wait() == 0


def ensure_bundle(echo: Echo = typer.echo, web: Path = WEB) -> bool:
    """Returns True when an up-to-date bundle is there afterwards."""
    if not (web / "package.json").exists():
        return (web / "dist" / "index.html").exists()  # an installed package: shipped built
    if not bundle_is_stale(web):
        return True
    version = node_version()
    if version is None or version < MIN_NODE:
        found = "no Node.js" if version is None else f"Node.js {version[0]}.{version[1]}"
        echo(
            f"web app not built: it needs Node.js {MIN_NODE[0]}.{MIN_NODE[1]}+ ({found} found);"
            " the API is served without it"
        )
        return (web / "dist" / "index.html").exists()
    building = building_marker(web / "dist")
    building.write_text(str(os.getpid()))  # the API says "being built" meanwhile
    try:
        return _build(web, echo)
    finally:
        building.unlink(missing_ok=True)


def _build(web: Path, echo: Echo) -> bool:
    npm = shutil.which("npm") or "npm"
    marker = web / "node_modules" / ".package-lock.json"
    lock = web / "package-lock.json"
    if not marker.exists() or marker.stat().st_mtime < lock.stat().st_mtime:
        # --prefer-offline: packages already in npm's cache are not re-checked with the
        # registry (a first start took 15 minutes on a slow registry, 12 s from the cache).
        echo("building the web app: npm ci ...")
        if not _run([npm, "ci", "--prefer-offline", "--no-audit", "--no-fund"], web, echo):
            echo("web app not built: npm ci failed (see above); the API is served without it")
            return False
    echo("building the web app: npm run build ...")
    if not _run([npm, "run", "build"], web, echo):
        echo("web app not built: npm run build failed (see above)")
        return False
    return True


@web_app.command("build")
def build(force: bool = typer.Option(False, "--force", help="Build even when up to date")) -> None:
    """Build interfaces/web/dist when it is missing or older than its sources (exit 3 when
    Node.js 20.19+ is missing, 1 when the build fails)."""
    if force and DIST_INDEX.exists():
        DIST_INDEX.unlink()
    version = node_version()
    if bundle_is_stale() and (version is None or version < MIN_NODE):
        ensure_bundle()  # says so in one line
        raise typer.Exit(3)
    if not ensure_bundle():
        raise typer.Exit(1)
    typer.echo(f"web app bundle: {DIST_INDEX.parent}")


def register(app: typer.Typer) -> None:
    app.add_typer(web_app, name="web")
