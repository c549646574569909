"""Mixed MyVOD + ESMpress load, loopback only, bounded in time (httpx, asyncio).

    python -m tests.load.mixed --base-url http://127.0.0.1:8000 --duration 300 \
        --concurrency 16 --data-dir .kairos [--mailbox-url http://127.0.0.1:8025]

Setup: registers `--members` MyVOD users through the API, creates `--researchers`
researchers with `kairos users add --role researcher` (needs --data-dir), each with two
campaigns and participants (one campaign launched, so prompts get scheduled). Then
`--concurrency` virtual users loop over a weighted mix until the duration is up. With
`--mailbox-url` (the local SendGrid fake) real survey links are harvested and opened.

Rate limits are per client IP, and a load generator is one IP: run the API with
RATE_LIMIT_ENABLED=false for a load run (docs/reliability.md).

Reports requests, req/s, p50/p95/p99 latency, status counts, "expected" refusals (e.g. 409
for adding a title twice) and errors (5xx, transport errors, unexpected 4xx). Exit code 1 on
any error.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx

TMDB_IDS = list(range(100001, 100321))  # the bundled fake catalogue
SEARCH_WORDS = ["signal", "night", "river", "last", "the", "love", "city", "war"]
LINK = re.compile(r"/s/[A-Za-z0-9_\-]{16,}")
PASSWORD = "load-test-password-1"


@dataclass
class Figures:
    started: float = field(default_factory=time.monotonic)
    finished: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    by_action: Counter[str] = field(default_factory=Counter)
    expected_refusals: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    links_harvested: int = 0

    def summary(self) -> dict[str, Any]:
        elapsed = (self.finished or time.monotonic()) - self.started
        ordered = sorted(self.latencies) or [0.0]

        def pct(p: float) -> float:
            return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000, 1)

        return {
            "requests": len(self.latencies),
            "seconds": round(elapsed, 1),
            "requests_per_second": round(len(self.latencies) / elapsed, 1) if elapsed else 0,
            "p50_ms": pct(0.50),
            "p95_ms": pct(0.95),
            "p99_ms": pct(0.99),
            "mean_ms": round(statistics.fmean(ordered) * 1000, 1),
            "errors": sum(self.errors.values()),
            "error_kinds": dict(self.errors),
            "expected_refusals": self.expected_refusals,
            "survey_links_harvested": self.links_harvested,
            "statuses": dict(sorted(self.statuses.items())),
            "by_action": dict(self.by_action.most_common()),
        }


@dataclass
class Actor:
    headers: dict[str, str]
    campaigns: list[str] = field(default_factory=list)


class Load:
    def __init__(self, client: httpx.AsyncClient, figures: Figures) -> None:
        self.client = client
        self.figures = figures
        self.members: list[Actor] = []
        self.researchers: list[Actor] = []
        self.links: list[str] = []

    async def call(
        self,
        action: str,
        method: str,
        url: str,
        expected: tuple[int, ...],
        refusals: tuple[int, ...] = (),
        **kwargs: Any,
    ) -> httpx.Response | None:
        if method in ("POST", "PUT", "PATCH"):
            kwargs.setdefault("headers", {})
            kwargs["headers"] = {**kwargs["headers"], "Idempotency-Key": str(uuid4())}
        started = time.perf_counter()
        try:
            response = await self.client.request(method, url, **kwargs)
        except httpx.HTTPError as error:
            self.figures.errors[f"{action}: {type(error).__name__}"] += 1
            return None
        self.figures.latencies.append(time.perf_counter() - started)
        self.figures.statuses[str(response.status_code)] += 1
        self.figures.by_action[action] += 1
        if response.status_code in refusals:
            self.figures.expected_refusals += 1
        elif response.status_code not in expected:
            self.figures.errors[f"{action}: {response.status_code}"] += 1
        return response

    # -- setup ---------------------------------------------------------------------------
    async def add_member(self) -> None:
        email = f"load-{uuid4().hex[:10]}@example.com"
        body = {"email": email, "password": PASSWORD}
        await self.call("register", "POST", "/auth/register", (201,), json=body)
        self.members.append(Actor(await self.login(email)))

    async def add_researcher(self, email: str) -> None:
        actor = Actor(await self.login(email))
        today = datetime.now(UTC).date()
        for launched in (False, True):
            created = await self.call(
                "create_campaign",
                "POST",
                "/campaigns",
                (201,),
                json=campaign_definition(today),
                headers=actor.headers,
            )
            if created is None or created.status_code != 201:
                continue
            campaign_id = created.json()["id"]
            actor.campaigns.append(campaign_id)
            for _ in range(3):
                await self.add_participant(actor, campaign_id)
            if launched:
                await self.call(
                    "launch",
                    "POST",
                    f"/campaigns/{campaign_id}/launch",
                    (200,),
                    headers=actor.headers,
                )
        self.researchers.append(actor)

    async def login(self, email: str) -> dict[str, str]:
        response = await self.call(
            "login", "POST", "/auth/token", (200,), data={"username": email, "password": PASSWORD}
        )
        if response is None or response.status_code != 200:
            raise RuntimeError(f"cannot log in as a load user: {response and response.text}")
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    async def add_participant(self, actor: Actor, campaign_id: str) -> None:
        await self.call(
            "add_participant",
            "POST",
            f"/campaigns/{campaign_id}/participants",
            (201,),
            json={"email": f"p-{uuid4().hex[:10]}@example.com"},
            headers=actor.headers,
        )

    # -- the mix -------------------------------------------------------------------------
    def actions(self) -> list[tuple[int, Callable[[], Awaitable[Any]]]]:
        return [
            (25, self.view_watchlist),
            (10, self.add_title),
            (8, self.search),
            (5, self.mark_watched),
            (3, self.choose_services),
            (15, self.list_campaigns),
            (10, self.view_campaign),
            (6, self.compliance),
            (4, self.prompts),
            (2, self.participant),
            (7, self.survey),
            (2, self.health),
        ]

    async def view_watchlist(self) -> None:
        member = random.choice(self.members)
        await self.call("watchlist", "GET", "/me/watchlist", (200,), headers=member.headers)

    async def add_title(self) -> None:
        member = random.choice(self.members)
        body = {"tmdb_id": random.choice(TMDB_IDS[:60])}
        await self.call(
            "add_title",
            "POST",
            "/me/watchlist/items",
            (201,),
            refusals=(409,),  # already on the list, or a concurrent write to it
            json=body,
            headers=member.headers,
        )

    async def search(self) -> None:
        member = random.choice(self.members)
        params = {"q": random.choice(SEARCH_WORDS)}
        await self.call(
            "search", "GET", "/titles/search", (200,), params=params, headers=member.headers
        )

    async def mark_watched(self) -> None:
        member = random.choice(self.members)
        tmdb_id = random.choice(TMDB_IDS[:60])
        await self.call(
            "watched",
            "POST",
            f"/me/watchlist/items/{tmdb_id}/watched",
            (200,),
            refusals=(404, 409),  # not on the list; or a concurrent write to the same list
            json={"rating": random.randint(1, 10)},
            headers=member.headers,
        )

    async def choose_services(self) -> None:
        member = random.choice(self.members)
        body = {"region": "PL", "services": random.sample(["netflix", "hbomax", "disneyplus"], 2)}
        await self.call(
            "services",
            "PUT",
            "/me/watchlist/services",
            (200,),
            refusals=(409,),  # a concurrent write to the same watchlist (G1)
            json=body,
            headers=member.headers,
        )

    def campaign(self) -> tuple[Actor, str] | None:
        with_campaigns = [r for r in self.researchers if r.campaigns]
        if not with_campaigns:
            return None
        actor = random.choice(with_campaigns)
        return actor, random.choice(actor.campaigns)

    async def list_campaigns(self) -> None:
        if self.researchers:
            actor = random.choice(self.researchers)
            await self.call("campaigns", "GET", "/campaigns", (200,), headers=actor.headers)

    async def view_campaign(self) -> None:
        if picked := self.campaign():
            actor, campaign_id = picked
            await self.call(
                "campaign", "GET", f"/campaigns/{campaign_id}", (200,), headers=actor.headers
            )

    async def compliance(self) -> None:
        if picked := self.campaign():
            actor, campaign_id = picked
            url = f"/campaigns/{campaign_id}/compliance"
            await self.call("compliance", "GET", url, (200,), headers=actor.headers)

    async def prompts(self) -> None:
        if picked := self.campaign():
            actor, campaign_id = picked
            url = f"/campaigns/{campaign_id}/prompts"
            await self.call("prompts", "GET", url, (200,), headers=actor.headers)

    async def participant(self) -> None:
        if picked := self.campaign():
            actor, campaign_id = picked
            await self.add_participant(actor, campaign_id)

    async def survey(self) -> None:
        if self.links and random.random() < 0.7:
            link = random.choice(self.links)
            if random.random() < 0.3:
                await self.call(
                    "survey_answer",
                    "POST",
                    link,
                    (201,),
                    refusals=(409, 410),  # answered already (by another virtual user) / closed
                    json={"answers": {"mood": random.randint(1, 5), "note": "fine"}},
                    headers={"Accept": "application/json"},
                )
                return
            await self.call(
                "survey_page",
                "GET",
                link,
                (200,),
                refusals=(409, 410),
                headers={"Accept": "application/json"},
            )
        else:  # a guessed link: the full lookup path, answered 404
            await self.call(
                "survey_unknown", "GET", f"/s/{uuid4().hex}{uuid4().hex}", (), refusals=(404,)
            )

    async def health(self) -> None:
        await self.call("health", "GET", "/health", (200,))

    async def virtual_user(self, deadline: float) -> None:
        weights, actions = zip(*self.actions(), strict=True)
        while time.monotonic() < deadline:
            await random.choices(actions, weights)[0]()


def campaign_definition(today: Any, now: datetime | None = None) -> dict[str, Any]:
    """Fixed UTC times 2 and 3 minutes from now, so a launched campaign emails its
    participants during the run and the load can open and answer real survey links."""
    now = now or datetime.now(UTC)
    times = sorted({(now + timedelta(minutes=m)).strftime("%H:%M") for m in (2, 3)})
    return {
        "name": f"Load study {uuid4().hex[:6]}",
        "timezone": "UTC",
        "start_date": today.isoformat(),
        "end_date": (today + timedelta(days=6)).isoformat(),
        "expiry_minutes": 60,
        "questionnaire": {
            "questions": [
                {"id": "mood", "type": "likert", "text": "Mood?", "points": 5},
                {"id": "note", "type": "text", "text": "Anything?", "max_length": 200},
            ]
        },
        "schedule": {
            "kind": "fixed",
            "times": times,
            "window_start": "00:00",
            "window_end": "23:59",
        },
    }


async def harvest_links(mailbox_url: str, load: Load, deadline: float) -> None:
    """Every few seconds until the deadline: survey links from the local SendGrid fake."""
    seen: set[str] = set()
    async with httpx.AsyncClient(base_url=mailbox_url, timeout=5) as mailbox:
        while time.monotonic() < deadline:
            try:
                entries = (await mailbox.get("/_mailbox")).json()
            except (httpx.HTTPError, ValueError):
                entries = []
            for entry in entries:
                for link in LINK.findall(f"{entry.get('text', '')} {entry.get('html', '')}"):
                    if link not in seen:
                        seen.add(link)
                        load.links.append(link)
            await asyncio.sleep(min(5.0, max(0.0, deadline - time.monotonic())))


async def run_load(
    client: httpx.AsyncClient,
    researcher_emails: list[str],
    members: int,
    duration: float,
    concurrency: int,
    mailbox_url: str | None = None,
) -> Figures:
    setup = Load(client, Figures())
    for _ in range(members):
        await setup.add_member()
    for email in researcher_emails:
        await setup.add_researcher(email)
    figures = Figures()
    load = Load(client, figures)
    load.members, load.researchers = setup.members, setup.researchers
    deadline = time.monotonic() + duration
    users = [load.virtual_user(deadline) for _ in range(concurrency)]
    if mailbox_url:
        users.append(harvest_links(mailbox_url, load, deadline))
    await asyncio.gather(*users)
    figures.links_harvested = len(load.links)
    figures.finished = time.monotonic()
    figures.errors.update(setup.figures.errors)
    return figures


def provision_researchers(count: int, data_dir: Path | None) -> list[str]:
    emails = [f"load-researcher-{uuid4().hex[:8]}@example.com" for _ in range(count)]
    for email in emails:
        args = [sys.executable, "-m", "interfaces.cli.main", "users", "add", email]
        args += ["--password", PASSWORD, "--role", "researcher"]
        if data_dir:
            args += ["--data-dir", str(data_dir)]
        subprocess.run(args, check=True, capture_output=True)
    return emails


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--duration", type=float, default=300.0, help="seconds of load")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--members", type=int, default=20)
    parser.add_argument("--researchers", type=int, default=4)
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--mailbox-url", default=None)
    args = parser.parse_args()
    if not args.base_url.startswith(("http://127.", "http://localhost")):
        parser.error("loopback only")
    researchers = provision_researchers(args.researchers, args.data_dir)

    async def go() -> Figures:
        limits = httpx.Limits(max_connections=args.concurrency + 4)
        async with httpx.AsyncClient(base_url=args.base_url, timeout=30, limits=limits) as client:
            return await run_load(
                client,
                researchers,
                args.members,
                args.duration,
                args.concurrency,
                args.mailbox_url,
            )

    figures = asyncio.run(go())
    summary = figures.summary()
    print(json.dumps(summary, indent=2))
    sys.exit(1 if summary["errors"] else 0)


if __name__ == "__main__":
    main()
