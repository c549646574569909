"""API: a read endpoint (GET /me/watchlist) and a command endpoint (PUT
/me/watchlist/services, which waits for its own write to be projected) next to a bare FastAPI
endpoint, each served by uvicorn in its own process on a free loopback port, loaded by an
httpx client with bounded concurrency."""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from uuid import uuid4

import httpx

from benchmarks.common import Profile, Result, fresh_database, ms, percentile, rate, ratio
from infrastructure.embedded import free_port

Request = Callable[[httpx.AsyncClient, int], Awaitable[httpx.Response]]


@contextlib.contextmanager
def server(kind: str, database_url: str = "", redis_url: str = "") -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "benchmarks.api_server",
            "--kind",
            kind,
            "--port",
            str(port),
            "--database-url",
            database_url,
            "--redis-url",
            redis_url,
        ]
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        path = "/bare" if kind == "bare" else "/health"
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the {kind} API server exited with {process.returncode}")
            try:
                if httpx.get(base + path, timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the {kind} API server did not start")
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def load(base: str, seconds: float, concurrency: int, request: Request) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        end = time.perf_counter() + seconds

        async def worker(index: int) -> None:
            nonlocal errors
            while time.perf_counter() < end:
                began = time.perf_counter()
                response = await request(client, index)
                if response.status_code >= 400:
                    errors += 1
                latencies.append(time.perf_counter() - began)

        began = time.perf_counter()
        await asyncio.gather(*(worker(i) for i in range(concurrency)))
        elapsed = time.perf_counter() - began
    return {
        "req_per_s": rate(len(latencies), elapsed),
        "p50_ms": ms(percentile(latencies, 50)),
        "p99_ms": ms(percentile(latencies, 99)),
        "errors": errors,
    }


def tokens(base: str, count: int) -> list[str]:
    """Registers `count` members and logs each in."""
    result = []
    with httpx.Client(base_url=base, timeout=30) as client:
        for _ in range(count):
            email = f"bench-{uuid4().hex}@example.com"
            password = "correct horse battery staple"
            client.post(
                "/auth/register", json={"email": email, "password": password}
            ).raise_for_status()
            response = client.post("/auth/token", data={"username": email, "password": password})
            response.raise_for_status()
            result.append(response.json()["access_token"])
    return result


def run(server_url: str, redis_url: str, profile: Profile) -> Result:
    result = Result("api")
    concurrency = profile.api_concurrency
    figures: dict[str, dict[str, float]] = {}
    with server("bare") as base:
        figures["bare"] = asyncio.run(
            load(base, profile.api_seconds, concurrency, lambda c, i: c.get("/bare"))
        )
    with fresh_database(server_url, "api") as url, server("kairos", url, redis_url) as base:
        auth = [{"Authorization": f"Bearer {t}"} for t in tokens(base, concurrency)]
        regions = ("PL", "US")
        counters = [0] * concurrency

        async def command(client: httpx.AsyncClient, i: int) -> httpx.Response:
            counters[i] += 1
            body = {"region": regions[counters[i] % 2], "services": ["netflix"]}
            return await client.put("/me/watchlist/services", json=body, headers=auth[i])

        figures["read"] = asyncio.run(
            load(
                base,
                profile.api_seconds,
                concurrency,
                lambda c, i: c.get("/me/watchlist", headers=auth[i]),
            )
        )
        figures["command"] = asyncio.run(load(base, profile.api_seconds, concurrency, command))
    for name, values in figures.items():
        for key, value in values.items():
            result.figures[f"api_{name}_{key}"] = value
    result.figures["api_read_vs_bare"] = ratio(
        figures["read"]["req_per_s"], figures["bare"]["req_per_s"]
    )
    result.figures["api_concurrency"] = concurrency
    result.notes.append(
        "read = GET /me/watchlist (JWT + read model); command = PUT /me/watchlist/services"
        " (event + wait for its projection); bare = FastAPI GET returning a small model"
    )
    return result
