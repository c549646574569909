"""`kairos stack`'s host side: which wheels the image needs, the API's paths for nginx, and
the stack's env file (no engine needed; tests/e2e/test_stack.py runs the real thing)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from infrastructure.stack import compose
from infrastructure.stack.build import (
    NOT_IN_IMAGE,
    export_requirements,
    needed,
    nginx_api_routes,
    nginx_headers,
    target_platforms,
)
from infrastructure.stack.compose import Stack, ensure_secrets, read_env_file
from interfaces.http.app import route_segments

EXPORT = """\
alembic==1.20.1
    # via kairos
async-timeout==5.0.1 ; python_full_version < '3.11.3'
colorama==0.4.6 ; sys_platform == 'win32'
uvloop==0.23.0 ; platform_python_implementation != 'PyPy' and sys_platform != 'win32'
tomli==2.0.0 ; python_full_version < '3.11'
"""


def test_wheels_are_chosen_for_the_images_python_not_the_hosts() -> None:
    names = [r.name for r in needed(EXPORT)]
    # Debian's CPython is 3.11.2, which needs async-timeout even when the host runs 3.11.7.
    assert names == ["alembic", "async-timeout", "uvloop"]


def test_every_older_manylinux_tag_is_accepted() -> None:
    tags = target_platforms("x86_64")
    assert tags[0] == "manylinux_2_36_x86_64"
    assert {"manylinux_2_17_x86_64", "manylinux2014_x86_64", "manylinux1_x86_64"} <= set(tags)
    assert "manylinux1_aarch64" not in target_platforms("aarch64")


def test_the_image_leaves_out_what_only_kairos_up_needs() -> None:
    exported = export_requirements()
    assert "\nfastapi==" in exported
    for name in NOT_IN_IMAGE:
        assert f"\n{name}==" not in exported, name
    assert "pytest" not in exported, "no dev dependencies in the image"


def test_nginx_sends_every_api_path_to_the_api_and_the_rest_to_the_web_app() -> None:
    segments = route_segments()
    for expected in ("auth", "campaigns", "me", "s", "webhooks", "health", "docs", "openapi.json"):
        assert expected in segments, expected
    assert "join" in segments, "the API's own list of segments that are never the app"
    conf = nginx_api_routes(segments)
    assert "location ~ ^/(" in conf and r"openapi\.json" in conf
    assert "kairos-upstream.conf" in conf


def test_the_env_file_is_written_once_private_and_kept(tmp_path: Path) -> None:
    path = tmp_path / ".env"
    path.write_text("SECRET_KEY=mine\n")
    first = ensure_secrets(path)
    assert first["SECRET_KEY"] == "mine"
    assert len(first["POSTGRES_PASSWORD"]) >= 24
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert ensure_secrets(path) == first == read_env_file(path)


def test_vendors_without_a_key_get_the_fakes_and_links_name_the_port(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(compose, "compose_command", lambda: ["docker-compose"])
    stack = Stack(
        project="p",
        env_file=tmp_path / ".env",
        environ={"HTTP_PORT": "8088", "TMDB_API_KEY": "real"},
    )
    assert stack.faked == ["SENDGRID_API_KEY", "WATCHMODE_API_KEY", "GEMINI_API_KEY"]
    assert stack.env["SENDGRID_HOST"] == "http://fakes:8025"
    assert "TMDB_BASE_URL" not in stack.env
    assert stack.env["SENDGRID_WEBHOOK_PUBLIC_KEY"]
    assert stack.env["PUBLIC_URL"] == "http://localhost:8088"
    assert stack.mailbox == "http://127.0.0.1:8025/_mailbox"
    assert "--profile" in stack.compose_args("ps")
    keyed = {k: "real" for k in ("SENDGRID_API_KEY", "WATCHMODE_API_KEY", "GEMINI_API_KEY")}
    everything = Stack(
        project="p", env_file=tmp_path / ".env", environ={**keyed, "TMDB_API_KEY": "x"}
    )
    assert everything.faked == [] and everything.mailbox is None
    assert "--profile" not in everything.compose_args("ps")
    assert everything.url == "http://localhost"


def test_nginx_gives_the_web_app_the_apis_content_security_policy() -> None:
    from interfaces.http.webapp import content_security_policy

    headers = nginx_headers(content_security_policy([]))
    policy = headers.split('Content-Security-Policy "', 1)[1].split('" always', 1)[0]
    assert "frame-ancestors 'none'" in policy
    assert "default-src 'self'" in policy and '"' not in policy
    assert 'X-Content-Type-Options "nosniff"' in headers
    assert nginx_headers("") == "", "no web app, no headers"
