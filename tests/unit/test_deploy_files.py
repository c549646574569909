"""The deployment files stay consistent with each other (docker-compose validates the syntax
in .ci/run; these check what an operator relies on)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())  # type: ignore[no-any-return]


def test_compose_runs_every_process_after_migrations_behind_nginx() -> None:
    services = _compose()["services"]
    for name in ("api", "projector", "relay", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"
        )
        assert services[name]["command"][0] == name
    assert "ports" not in services["api"], "only nginx is published"
    assert services["nginx"]["depends_on"]["api"]["condition"] == "service_healthy"
    for name in ("postgres", "redis", "api", "nginx", "worker", "fakes"):
        assert "healthcheck" in services[name], name
    assert services["fakes"]["profiles"] == ["fakes"]


def test_nginx_files_mounted_by_compose_exist() -> None:
    for volume in _compose()["services"]["nginx"]["volumes"]:
        source = volume.split(":", 1)[0]
        assert (ROOT / source).exists(), source


def test_fakes_env_points_every_vendor_at_the_fakes_service() -> None:
    env = dict(
        line.split("=", 1)
        for line in (ROOT / "deploy/fakes.env").read_text().splitlines()
        if line and not line.startswith("#")
    )
    for key in ("SENDGRID_HOST", "TMDB_BASE_URL", "WATCHMODE_BASE_URL", "GEMINI_BASE_URL"):
        assert env[key] == "http://fakes:8025"


def test_image_is_multi_stage_and_runs_unprivileged() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert len(re.findall(r"^FROM ", dockerfile, re.MULTILINE)) == 2
    assert "uv sync --locked --no-dev" in dockerfile
    user = re.findall(r"^USER (\S+)", dockerfile, re.MULTILINE)
    assert user and not user[-1].startswith(("root", "0"))
