"""The container stack for real, through `kairos stack up|down` and nginx only.

Starts a Docker engine when none runs (and stops it afterwards), builds the stand-ins of the
official images when they are missing (no registry here), builds the two Kairos images with
no network inside the build, then: register, log in, load the web app, run a campaign that
prompts within a minute, find the email in the fake mailbox and answer its link; crash the
worker container while it sends (exactly one email); `down` and `up` again with two API
replicas and three workers (the data is kept); each prompt of a campaign is emailed once and
every write is read back at once through whichever replica answers. Skipped, with the reason,
only where no engine can be installed. Phase timings: `pytest -s`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import httpx
import psycopg
import pytest

from infrastructure.embedded import free_port
from infrastructure.stack.compose import Stack
from tests.e2e.stack_flow import (
    PASSWORD,
    Client,
    Phases,
    StackRun,
    campaign_at,
    mailbox,
    next_minute,
    survey_link,
    unique,
    wait_for_mail,
)
from tests.support.engine import NoEngine, docker_engine, ensure_stand_ins
from tests.support.processes import ROOT, eventually

pytestmark = pytest.mark.slow
WEB_APP = (ROOT / "interfaces" / "web" / "package.json").exists()
SCRUBBED = ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DATA_DIR", "CELERY_QUEUE", "PUBLIC_URL")
VENDOR_KEYS = ("SENDGRID_API_KEY", "TMDB_API_KEY", "WATCHMODE_API_KEY", "GEMINI_API_KEY")


@pytest.fixture(scope="module")
def engine() -> Iterator[str]:
    try:
        with docker_engine() as how:
            yield how
    except NoEngine as reason:
        print(f"\nstack test skipped: {reason}")
        pytest.skip(str(reason))


@pytest.fixture(scope="module")
def run(engine: str) -> Iterator[StackRun]:
    try:
        stand_ins = ensure_stand_ins()
    except NoEngine as reason:
        print(f"\nstack test skipped: {reason}")
        pytest.skip(str(reason))
    tag = uuid4().hex[:8]
    folder = Path(tempfile.mkdtemp(prefix="kairos-stack-test-"))
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in SCRUBBED + VENDOR_KEYS and not k.startswith("COMPOSE_")
    }
    env.update(
        HTTP_PORT=str(free_port()),
        HTTPS_PORT=str(free_port()),
        FAKES_PORT=str(free_port()),
        POSTGRES_IMAGE="postgres:15",  # Debian's; postgres:16 has no stand-in here
        NGINX_IMAGE="nginx:1.22",
        KAIROS_IMAGE=f"kairos-stack-test:{tag}",
        KAIROS_WEB_IMAGE=f"kairos-web-stack-test:{tag}",
        BEAT_INTERVAL_SECONDS="5",
        API_WORKERS="1",
        WORKER_CONCURRENCY="2",
        PYTHONUNBUFFERED="1",
    )
    stack = Stack(project=f"kairos-test-{tag}", env_file=folder / "stack.env", environ=env)
    result = StackRun(stack=stack, env=env, log=folder / "stack.log")
    print(f"\nengine: {engine}; stand-in images built in {stand_ins:.0f}s")
    try:
        yield result
    finally:
        try:
            result.kairos("stack", "down", "--volumes", timeout=300)
        finally:
            for image in (env["KAIROS_IMAGE"], env["KAIROS_WEB_IMAGE"]):
                # --no-prune keeps the layers below, the next run's build cache
                subprocess.run(["docker", "rmi", "--no-prune", image], capture_output=True)
            shutil.rmtree(folder, ignore_errors=True)


def _web_app(client: Client) -> None:
    home = client.http.get("/")
    assert home.status_code == 200 and "text/html" in home.headers["content-type"]
    deep = client.http.get("/watchlist")
    assert deep.status_code == 200 and deep.text == home.text, "deep links load the app"
    if not WEB_APP:
        print("web app not in this checkout yet: nginx serves the placeholder page")
        return
    assert "frame-ancestors 'none'" in home.headers["content-security-policy"]
    scripts = [s for s in _assets(home.text) if s.endswith(".js")]
    assert scripts, home.text
    asset = client.http.get(scripts[0])
    assert asset.status_code == 200, scripts[0]
    assert "javascript" in asset.headers["content-type"]
    assert "immutable" in asset.headers.get("cache-control", "")


def _assets(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="(/assets/[^"]+)"', html)


@pytest.mark.timeout(1800)
def test_stack_serves_the_whole_flow_survives_a_crashed_worker_and_scales(
    run: StackRun,
) -> None:
    phases = Phases()
    built = run.kairos("stack", "up", "--build")
    assert f"{run.url}/" in built and "Mailbox" in built, built
    print(built)
    phases.mark("build and up")

    client = Client(run.url)
    member, researcher = unique("member"), unique("researcher")
    assert client.register(member).status_code == 201
    assert client.login(member).status_code == 200
    assert client.http.get("/health").status_code == 200
    _web_app(client)
    assert client.http.get("/metrics").status_code == 404, "metrics stay inside"
    found = client.http.get("/titles/search", params={"q": "Casablanca"}, headers=client.auth)
    assert found.status_code == 200, found.text
    poster = next(r["poster_url"] for r in found.json()["results"] if r["poster_url"])
    assert poster.startswith(f"{run.url}/t/p/"), "posters load through nginx"
    image = client.http.get(poster)
    assert image.status_code == 200 and image.headers["content-type"].startswith("image/")
    run.exec(
        "api", "kairos", "users", "add", researcher, "--password", PASSWORD, "--role", "researcher"
    )
    assert client.login(researcher).status_code == 200

    # Two participants prompted at the same minute; the SendGrid fake holds the first send
    # for 20 s (then accepts it) and the worker container crashes inside that send.
    campaign = client.create_campaign(campaign_at("Stack: first", next_minute()))
    answering, crashing = unique("answering"), unique("crashing")
    for email in (answering, crashing):
        client.enroll(campaign, email)
    for email in (member, researcher):
        eventually(lambda e=email: mailbox(run.fakes, e), 90, "welcome emails go out first")
    held = httpx.post(f"{run.fakes}/_control/sendgrid", json={"fail_next": 1, "delay": 20})
    assert held.status_code == 200, held.text
    phases.mark("register, web app, campaign")

    eventually(
        lambda: [p for p in client.prompts(campaign) if p["status"] == "sending"],
        150,
        lambda: run.logs(),
        interval=0.2,
    )
    crashed = run.crash("worker")
    eventually(
        lambda: {p["status"] for p in client.prompts(campaign)} == {"sent"},
        150,
        lambda: f"both prompts sent after the crash\n{run.logs()}",
        interval=0.5,
    )
    restarted = eventually(lambda: run.containers("worker"), 120, "the worker restarts")
    assert restarted[0]["Id"] == crashed["Id"] and restarted[0]["RestartCount"] >= 1
    assert [len(mailbox(run.fakes, e)) for e in (answering, crashing)] == [1, 1]
    link = survey_link(mailbox(run.fakes, answering)[0])
    assert link.startswith(f"{run.url}/s/"), link
    answer = client.answer(link)
    assert answer.status_code == 201 and "Thank you" in answer.text, answer.text
    parquet = client.http.get(
        f"/campaigns/{campaign}/responses", params={"format": "parquet"}, headers=client.auth
    )
    assert parquet.status_code == 200 and parquet.content[:4] == b"PAR1", "the image's pyarrow"
    phases.mark("prompts emailed once across a worker crash, one answered")

    # Six prompts due together in about a minute: the stack goes down now, so the scaled
    # stack (two API replicas, three workers) is the one that sends them.
    many = [unique(f"scaled-{i}") for i in range(6)]
    due = next_minute(earliest=45)
    scaled_campaign = client.create_campaign(campaign_at("Stack: scaled", due))
    for email in many:
        client.enroll(scaled_campaign, email)
    run.kairos("stack", "down")
    phases.mark("down")
    scaled = run.kairos("stack", "up", "--scale", "api=2", "--scale", "worker=3")
    assert "Kairos is up" in scaled
    phases.mark("up with api=2 worker=3")
    assert len(run.containers("api")) == 2 and len(run.containers("worker")) == 3
    again = Client(run.url)
    assert again.login(researcher).status_code == 200, "accounts kept across down/up"
    statuses = sorted(p["status"] for p in again.prompts(campaign))
    assert statuses == ["answered", "sent"], statuses

    # An analyst's read-only login, used from this machine through the loopback-only port.
    published = run.stack.compose("port", "postgres", "5432").strip().rsplit(":", 1)[1]
    url = (
        run.exec(
            "api",
            "kairos",
            "analysts",
            "add",
            "stack_analyst",
            "--host",
            "127.0.0.1",
            "--port",
            published,
        )
        .strip()
        .splitlines()[-1]
    )
    with psycopg.connect(url, connect_timeout=10) as analyst:
        rows = analyst.execute(
            "SELECT status FROM esm_prompts WHERE campaign_id = %s ORDER BY status", (campaign,)
        ).fetchall()
        assert [r[0] for r in rows] == ["answered", "sent"]

    # Read your writes through whichever replica nginx picks for each request.
    later = again.create_campaign(campaign_at("Stack: later", due + timedelta(hours=1)))
    for index in range(4):
        participant = again.enroll(later, unique(f"later-{index}"))
        listed = again.http.get(f"/campaigns/{later}/participants", headers=again.auth)
        assert participant in {p["id"] for p in listed.json()["participants"]}, "read your write"
    for email in many:
        wait_for_mail(run.fakes, email, 150, lambda: run.logs())
    eventually(
        lambda: {p["status"] for p in again.prompts(scaled_campaign)} == {"sent"},
        60,
        "every prompt recorded as sent",
        interval=0.5,
    )
    assert [len(mailbox(run.fakes, email)) for email in many] == [1] * len(many)
    late = (datetime.now(UTC) - due).total_seconds()
    print(f"stack test: 6 prompts due together, all emailed once within {late:.0f}s of due")
    _both_replicas_answered(run, again)
    phases.mark("scaled campaign")

    # Backup and restore inside the image (no pg_dump there, read-only root filesystem):
    # into a second, empty database of the same server, then verify it.
    backup = run.stack.compose_bytes("exec", "-T", "api", "kairos", "backup", "-")
    assert backup[:2] == b"\x1f\x8b", "a gzip stream on stdout"
    run.exec("postgres", "createdb", "-U", "kairos", "restored")
    restored_url = (
        f"postgresql://kairos:{run.stack.values['POSTGRES_PASSWORD']}@postgres:5432/restored"
    )
    restore = ["run", "--rm", "-T", "--no-deps", "-e", f"DATABASE_URL={restored_url}"]
    script = "kairos restore - && kairos audit verify"
    out = run.stack.compose_bytes(
        *restore, "--entrypoint", "sh", "api", "-c", script, stdin=backup
    ).decode()
    assert "read models rebuilt" in out and "warning" not in out, out
    phases.mark(f"backup ({len(backup) // 1024} KiB) restored into an empty database, verified")
    client.close()
    again.close()
    print("\nstack test phases: " + phases.report())


def _both_replicas_answered(run: StackRun, client: Client) -> None:
    marker = f"replica-{uuid4().hex[:8]}"
    for index in range(12):
        response = client.http.get("/health", headers={"X-Request-ID": f"{marker}-{index}"})
        assert response.status_code == 200
    served = [
        Stack.logs(str(container["Name"]).lstrip("/"), lines=400).count(marker)
        for container in run.containers("api")
    ]
    assert all(served), f"nginx spreads requests over both replicas: {served}"
    print(f"stack test: 12 requests through nginx, per api replica: {served}")
