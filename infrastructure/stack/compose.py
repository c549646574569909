"""`kairos stack`: compose.yaml driven from the host, with whichever Compose is installed
(`docker compose` v2 or Debian's `docker-compose` v1) and no registry needed.

The stack's secrets live in an env file next to compose.yaml (`.env` unless told otherwise),
written on first use with mode 0600, so that plain `docker compose ps|logs|exec` work too.
A vendor without an API key is served by the `fakes` profile.
"""

from __future__ import annotations

import json
import secrets
import shutil
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FAKES = "http://fakes:8025"
VENDOR_FAKES = {
    "SENDGRID_API_KEY": {"SENDGRID_API_KEY": "SG.local-fake", "SENDGRID_HOST": FAKES},
    "TMDB_API_KEY": {"TMDB_API_KEY": "local-fake", "TMDB_BASE_URL": FAKES},
    "WATCHMODE_API_KEY": {"WATCHMODE_API_KEY": "local-fake", "WATCHMODE_BASE_URL": FAKES},
    "GEMINI_API_KEY": {"GEMINI_API_KEY": "local-fake", "GEMINI_BASE_URL": FAKES},
}
SERVING = ("postgres", "redis", "api", "nginx", "fakes")
"""Services whose health check must pass before `stack up` returns (the others must run)."""
ONE_SHOT = ("migrate",)

Log = Callable[[str], None]


class StackError(RuntimeError):
    pass


def read_env_file(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    if not path.exists():
        return values
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        values[key.strip()] = value.strip().strip("'\"")
    return values


def ensure_secrets(path: Path, project: str = "kairos") -> dict[str, str]:
    """Adds what the stack needs and nobody set (SECRET_KEY, POSTGRES_PASSWORD, the fake
    SendGrid's webhook signing key, the project name for plain `docker compose`) to the env
    file, keeping everything already there."""
    from stand_ins.signing import generate_signing_key, private_key_to_b64

    values = read_env_file(path)
    generated = {
        "COMPOSE_PROJECT_NAME": lambda: project,
        "SECRET_KEY": lambda: secrets.token_urlsafe(48),
        "POSTGRES_PASSWORD": lambda: secrets.token_urlsafe(24),
        "FAKE_SENDGRID_SIGNING_KEY": lambda: private_key_to_b64(generate_signing_key()),
    }
    missing = {k: make() for k, make in generated.items() if not values.get(k)}
    if missing:
        path.parent.mkdir(parents=True, exist_ok=True)
        existed = path.exists()
        with path.open("a") as file:
            if not existed:
                file.write("# Written by `kairos stack up`; keep it secret, keep it safe.\n")
            for key, value in missing.items():
                file.write(f"{key}={value}\n")
        path.chmod(0o600)
        values.update(missing)
    return values


def compose_command() -> list[str]:
    docker = shutil.which("docker")
    if docker and _succeeds([docker, "compose", "version"]):
        return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    if legacy:
        return [legacy]
    raise StackError("neither `docker compose` nor `docker-compose` is installed")


def _succeeds(args: Sequence[str]) -> bool:
    try:
        return subprocess.run(args, capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@dataclass
class Stack:
    project: str = "kairos"
    env_file: Path = ROOT / ".env"
    environ: Mapping[str, str] = field(default_factory=dict)
    compose_file: Path = ROOT / "compose.yaml"

    def __post_init__(self) -> None:
        self.values = ensure_secrets(self.env_file, self.project)
        self.env = self._environment()

    # -- configuration ----------------------------------------------------------------
    def setting(self, key: str, default: str = "") -> str:
        return self.environ.get(key) or self.values.get(key) or default

    @property
    def faked(self) -> list[str]:
        return [key for key in VENDOR_FAKES if not self.setting(key)]

    @property
    def http_port(self) -> str:
        return self.setting("HTTP_PORT", "80")

    @property
    def url(self) -> str:
        port = self.http_port
        return "http://localhost" + ("" if port == "80" else f":{port}")

    @property
    def mailbox(self) -> str | None:
        if "SENDGRID_API_KEY" not in self.faked:
            return None
        return f"http://127.0.0.1:{self.setting('FAKES_PORT', '8025')}/_mailbox"

    def _environment(self) -> dict[str, str]:
        env = dict(self.environ)
        env["COMPOSE_PROJECT_NAME"] = self.project
        for key in self.faked:
            env.update(VENDOR_FAKES[key])
        if "SENDGRID_API_KEY" in self.faked:
            from stand_ins.signing import (
                private_key_from_b64,
                public_key_b64,
            )

            signing = private_key_from_b64(self.values["FAKE_SENDGRID_SIGNING_KEY"])
            env["SENDGRID_WEBHOOK_PUBLIC_KEY"] = public_key_b64(signing)
        env.setdefault("PUBLIC_URL", self.setting("PUBLIC_URL", self.url))
        return env

    # -- compose ----------------------------------------------------------------------
    def compose_args(self, *args: str) -> list[str]:
        base = [*compose_command(), "--project-name", self.project]
        base += ["--file", str(self.compose_file), "--env-file", str(self.env_file)]
        if self.faked:
            base += ["--profile", "fakes"]
        return [*base, *args]

    def compose(self, *args: str, capture: bool = True) -> str:
        done = subprocess.run(
            self.compose_args(*args),
            cwd=self.compose_file.parent,
            env=self.env,
            capture_output=capture,
            text=True,
        )
        if done.returncode != 0:
            output = ((done.stdout or "") + (done.stderr or "")).strip()
            raise StackError(f"compose {' '.join(args)} failed:\n{output[-4000:]}")
        return done.stdout or ""

    def compose_bytes(self, *args: str, stdin: bytes | None = None) -> bytes:
        """compose with binary stdin/stdout (e.g. `exec -T api kairos backup -`)."""
        done = subprocess.run(
            self.compose_args(*args),
            cwd=self.compose_file.parent,
            env=self.env,
            input=stdin,
            capture_output=True,
        )
        if done.returncode != 0:
            output = (done.stdout[-2000:] + done.stderr[-2000:]).decode(errors="replace")
            raise StackError(f"compose {' '.join(args[:4])} failed:\n{output}")
        return done.stdout

    def up(self, scale: Mapping[str, int]) -> None:
        args = ["up", "--detach", "--no-build", "--remove-orphans"]
        for service, count in scale.items():
            args += ["--scale", f"{service}={count}"]
        self.compose(*args)
        # nginx resolves `api` when it loads its configuration: a reload picks up replicas
        # added by --scale and api containers recreated with a new address.
        self.compose("kill", "-s", "SIGHUP", "nginx")

    def down(self, volumes: bool = False) -> None:
        args = ["down", "--remove-orphans"] + (["--volumes"] if volumes else [])
        self.compose(*args)

    def containers(self) -> list[dict[str, object]]:
        """docker inspect of every container of the project, stopped ones included."""
        ids = (
            subprocess.run(
                [
                    "docker",
                    "ps",
                    "--all",
                    "--quiet",
                    "--filter",
                    f"label=com.docker.compose.project={self.project}",
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            .stdout.strip()
            .split()
        )
        if not ids:
            return []
        out = subprocess.run(
            ["docker", "inspect", *ids], capture_output=True, text=True, check=True
        ).stdout
        return json.loads(out)  # type: ignore[no-any-return]

    def wait_healthy(self, timeout: float, log: Log) -> float:
        """Until every serving service is healthy, migrate has exited 0 and the rest run."""
        began = time.monotonic()
        last = ""
        while True:
            problems, waiting = self._states()
            if problems:
                raise StackError(problems)
            if not waiting:
                return time.monotonic() - began
            summary = ", ".join(waiting)
            if summary != last:
                log(f"waiting for {summary}")
                last = summary
            if time.monotonic() - began > timeout:
                raise StackError(f"not healthy after {timeout:.0f}s: {summary}")
            time.sleep(1)

    def _states(self) -> tuple[str, list[str]]:
        waiting: list[str] = []
        for container in self.containers():
            labels = container["Config"]["Labels"]  # type: ignore[index]
            service = labels.get("com.docker.compose.service", "?")
            name = str(container["Name"]).lstrip("/")
            state = container["State"]
            status = state["Status"]  # type: ignore[index]
            if service in ONE_SHOT:
                if status == "exited" and state["ExitCode"] != 0:  # type: ignore[index]
                    return f"{name} failed:\n{self.logs(name)}", []
                if status != "exited":
                    waiting.append(f"{service} (running)")
                continue
            if status == "restarting" or (status == "exited"):
                return f"{name} is {status}:\n{self.logs(name)}", []
            health = (state.get("Health") or {}).get("Status")  # type: ignore[attr-defined]
            if service in SERVING and health is not None and health != "healthy":
                waiting.append(f"{service} ({health})")
            elif status != "running":
                waiting.append(f"{service} ({status})")
        return "", sorted(set(waiting))

    @staticmethod
    def logs(container: str, lines: int = 40) -> str:
        done = subprocess.run(
            ["docker", "logs", "--tail", str(lines), container], capture_output=True, text=True
        )
        return (done.stdout + done.stderr).strip()


def docker_available() -> str | None:
    """None when an engine answers, else why not."""
    if not shutil.which("docker"):
        return "the docker CLI is not installed"
    done = subprocess.run(["docker", "info"], capture_output=True, text=True)
    if done.returncode != 0:
        return "no Docker engine answers (`docker info` failed)"
    return None


def image_exists(name: str) -> bool:
    return _succeeds(["docker", "image", "inspect", name])


def build_image(
    tag: str,
    dockerfile: str,
    args: Mapping[str, str],
    target: str | None,
    environ: Mapping[str, str],
    log: Log,
) -> float:
    """`docker build` with the classic builder unless buildx is there; never pulls."""
    began = time.monotonic()
    env = dict(environ)
    if not _succeeds(["docker", "buildx", "version"]):
        env["DOCKER_BUILDKIT"] = "0"
    command = ["docker", "build", "--tag", tag, "--file", dockerfile]
    if target:
        command += ["--target", target]
    for key, value in args.items():
        command += ["--build-arg", f"{key}={value}"]
    done = subprocess.run([*command, "."], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise StackError(f"docker build of {tag} failed:\n{(done.stdout + done.stderr)[-4000:]}")
    took = time.monotonic() - began
    log(f"built {tag} in {took:.0f}s")
    return took
