"""What the stack test does through nginx and the host: an HTTP client for the stack, the
fake mailbox, and the containers (helpers of tests/e2e/test_stack.py)."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import unescape
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx

from infrastructure.stack.compose import Stack, StackError
from tests.support.polling import eventually
from tests.support.processes import ROOT

PASSWORD = "correct horse battery staple"
QUESTIONNAIRE = {
    "questions": [
        {
            "id": "mood",
            "type": "likert",
            "text": "How is your mood right now?",
            "points": 5,
            "labels": ["very bad", "very good"],
        }
    ]
}


def next_minute(earliest: float = 20.0) -> datetime:
    """The first whole minute at least `earliest` seconds away (fixed prompt times are HH:MM)."""
    moment = datetime.now(UTC) + timedelta(seconds=earliest)
    return moment.replace(second=0, microsecond=0) + timedelta(minutes=1)


def campaign_at(name: str, *moments: datetime) -> dict[str, Any]:
    first = min(moments)
    return {
        "name": name,
        "description": "Stack test",
        "timezone": "UTC",
        "start_date": first.date().isoformat(),
        "end_date": max(moments).date().isoformat(),  # one day: no prompts planned ahead
        "expiry_minutes": 30,
        "completion_minutes": 15,
        "questionnaire": QUESTIONNAIRE,
        "schedule": {"kind": "fixed", "times": sorted({m.strftime("%H:%M") for m in moments})},
    }


@dataclass
class StackRun:
    """One compose project driven through `kairos stack` as an operator would."""

    stack: Stack
    env: dict[str, str]
    log: Path

    @property
    def url(self) -> str:
        return self.stack.url

    @property
    def fakes(self) -> str:
        return f"http://127.0.0.1:{self.env['FAKES_PORT']}"

    def kairos(self, *args: str, timeout: float = 1200) -> str:
        """`kairos stack ...` as a child process; its output is kept in the log file."""
        command = [sys.executable, "-m", "interfaces.cli.main", *args]
        command += ["--project", self.stack.project, "--env-file", str(self.stack.env_file)]
        done = subprocess.run(
            command, cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=timeout
        )
        with self.log.open("a") as file:
            file.write(f"$ kairos {' '.join(args)}\n{done.stdout}{done.stderr}\n")
        assert done.returncode == 0, f"kairos {' '.join(args)}:\n{done.stdout}{done.stderr}"
        return done.stdout

    def exec(self, service: str, *args: str) -> str:
        return self.stack.compose("exec", "-T", service, *args)

    def containers(self, service: str) -> list[dict[str, Any]]:
        return [
            c
            for c in self.stack.containers()
            if c["Config"]["Labels"].get("com.docker.compose.service") == service
            and c["State"]["Status"] == "running"
        ]

    def crash(self, service: str) -> dict[str, Any]:
        """SIGKILLs the container's init from the host, as the kernel's OOM killer would:
        the engine sees a crash and its restart policy applies (`docker kill` would not)."""
        (container,) = self.containers(service)
        try:
            os.kill(int(container["State"]["Pid"]), signal.SIGKILL)
        except PermissionError:  # not root: every process but its init, from inside
            with contextlib.suppress(StackError):  # the exec may die with them
                self.exec(service, "sh", "-c", "kill -9 -1")
        return container

    def logs(self) -> str:
        return self.stack.compose("logs", "--no-color", "--tail", "60")


class Client:
    """A browser-less user of the stack: everything goes through nginx."""

    def __init__(self, base: str) -> None:
        self.http = httpx.Client(base_url=base, timeout=30)
        self.token = ""

    def close(self) -> None:
        self.http.close()

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def register(self, email: str) -> httpx.Response:
        return self.http.post("/auth/register", json={"email": email, "password": PASSWORD})

    def login(self, email: str) -> httpx.Response:
        response = self.http.post("/auth/token", data={"username": email, "password": PASSWORD})
        if response.status_code == 200:
            self.token = response.json()["access_token"]
        return response

    def create_campaign(self, body: dict[str, Any]) -> str:
        created = self.http.post("/campaigns", json=body, headers=self.auth)
        assert created.status_code == 201, created.text
        campaign_id = str(created.json()["id"])
        launched = self.http.post(f"/campaigns/{campaign_id}/launch", headers=self.auth)
        assert launched.status_code == 200, launched.text
        return campaign_id

    def enroll(self, campaign_id: str, email: str) -> str:
        enrolled = self.http.post(
            f"/campaigns/{campaign_id}/participants",
            json={"email": email, "timezone": "UTC"},
            headers=self.auth,
        )
        assert enrolled.status_code == 201, enrolled.text
        return str(enrolled.json()["id"])

    def prompts(self, campaign_id: str) -> list[dict[str, Any]]:
        listed = self.http.get(f"/campaigns/{campaign_id}/prompts", headers=self.auth)
        assert listed.status_code == 200, listed.text
        return listed.json()["prompts"]  # type: ignore[no-any-return]

    def answer(self, link: str) -> httpx.Response:
        """Opens the survey link and submits its HTML form, as a participant's browser does."""
        page = self.http.get(link)
        assert page.status_code == 200, page.text
        nonce = re.search(r'name="_nonce" value="([^"]+)"', page.text)
        assert nonce, page.text
        return self.http.post(link, data={"_nonce": unescape(nonce.group(1)), "mood": "4"})


def mailbox(fakes: str, email: str) -> list[dict[str, Any]]:
    return httpx.get(f"{fakes}/_mailbox", params={"to": email}, timeout=10).json()  # type: ignore[no-any-return]


def survey_link(message: dict[str, Any]) -> str:
    found = re.search(r"https?://[^\s\"'<>]+/s/[A-Za-z0-9_\-.~]+", message["text"] or "")
    assert found, message["text"]
    return found.group(0)


def wait_for_mail(fakes: str, email: str, timeout: float, why: str | Callable[[], str]) -> str:
    eventually(lambda: mailbox(fakes, email), timeout, why)
    return survey_link(mailbox(fakes, email)[0])


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid4().hex[:8]}@example.com"


class Phases:
    def __init__(self) -> None:
        self.began = time.monotonic()
        self.last = self.began
        self.figures: dict[str, float] = {}

    def mark(self, name: str) -> None:
        now = time.monotonic()
        self.figures[name] = now - self.last
        self.last = now
        print(f"stack test: {name} took {self.figures[name]:.0f}s", flush=True)

    def report(self) -> str:
        parts = [f"{k}: {v:.0f}s" for k, v in self.figures.items()]
        return ", ".join([*parts, f"total: {time.monotonic() - self.began:.0f}s"])
