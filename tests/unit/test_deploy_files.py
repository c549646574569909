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
    assert services["nginx"]["ports"] == ["${HTTP_PORT:-80}:8080", "${HTTPS_PORT:-443}:8443"]


def test_nginx_files_mounted_by_compose_exist() -> None:
    for volume in _compose()["services"]["nginx"]["volumes"]:
        source = volume.split(":", 1)[0]
        assert (ROOT / source).exists(), source


def test_every_container_has_an_init_and_all_but_the_databases_drop_root() -> None:
    services = _compose()["services"]
    for name, service in services.items():
        assert service.get("init") is True, name
        assert service.get("read_only") is True, name
        assert "no-new-privileges:true" in service["security_opt"], name
    for name in ("api", "worker", "projector", "relay", "beat", "migrate", "fakes", "nginx"):
        assert services[name]["cap_drop"] == ["ALL"], name


def test_image_names_and_versions_are_variables() -> None:
    services = _compose()["services"]
    for name, variable in (
        ("postgres", "POSTGRES_IMAGE"),
        ("redis", "REDIS_IMAGE"),
        ("api", "KAIROS_IMAGE"),
        ("nginx", "KAIROS_WEB_IMAGE"),
    ):
        assert services[name]["image"].startswith("${" + variable + ":-"), name
    assert services["api"]["build"]["args"]["PYTHON_IMAGE"].startswith("${PYTHON_IMAGE:-")
    assert services["nginx"]["build"]["args"]["NGINX_IMAGE"].startswith("${NGINX_IMAGE:-")


def test_the_mailbox_is_published_on_loopback_only() -> None:
    (port,) = _compose()["services"]["fakes"]["ports"]
    assert port.startswith("127.0.0.1:"), "every survey link is in the mailbox"


def test_dockerfiles_build_offline_with_either_builder() -> None:
    for path in ("Dockerfile", "deploy/nginx/Dockerfile"):
        text = (ROOT / path).read_text()
        assert "--mount" not in text and "# syntax" not in text, path  # classic builder
        assert not re.search(r"\b(curl|wget|apt-get|npm)\b", text), path  # no network
    assert "--no-index" in (ROOT / "Dockerfile").read_text()


def test_fakes_env_points_every_vendor_at_the_fakes_service() -> None:
    env = dict(
        line.split("=", 1)
        for line in (ROOT / "deploy/fakes.env").read_text().splitlines()
        if line and not line.startswith("#")
    )
    for key in ("SENDGRID_HOST", "TMDB_BASE_URL", "WATCHMODE_BASE_URL", "GEMINI_BASE_URL"):
        assert env[key] == "http://fakes:8025"


def test_images_are_multi_stage_and_run_unprivileged() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert len(re.findall(r"^FROM ", dockerfile, re.MULTILINE)) == 2
    for path in ("Dockerfile", "deploy/nginx/Dockerfile"):
        user = re.findall(r"^USER (\S+)", (ROOT / path).read_text(), re.MULTILINE)
        assert user and not user[-1].startswith(("root", "0")), path
