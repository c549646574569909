"""Rate limits on the routes a stranger can hammer: login, registration and survey links.

A fixed window per (rule, client IP) in Redis: INCR a key named after the window, which
expires with it. Over the limit -> 429 with Retry-After (seconds to the next window). When
Redis is unreachable the limiter fails open (logged), so a broker outage never stops the API.
The client IP is the socket peer, or what a configured proxy (FORWARDED_ALLOW_IPS) says in
X-Forwarded-For; a client's own X-Forwarded-For is ignored (interfaces/cli/processes.py).
Accounts are throttled on top of this, whatever the address (interfaces/http/identity.py).
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass

import anyio
import redis
from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

from interfaces.http.asgi import send_detail

log = logging.getLogger("kairos.ratelimit")


@dataclass(frozen=True)
class Rule:
    name: str
    methods: frozenset[str]
    path: re.Pattern[str]
    limit: int
    window_seconds: int

    def matches(self, method: str, path: str) -> bool:
        return method in self.methods and bool(self.path.fullmatch(path))


DEFAULT_RULES: tuple[Rule, ...] = (
    Rule("login", frozenset({"POST"}), re.compile(r"/auth/(token|session)"), 20, 60),
    Rule("refresh", frozenset({"POST"}), re.compile(r"/auth/(session/)?refresh"), 60, 60),
    Rule("register", frozenset({"POST"}), re.compile(r"/auth/register"), 10, 60),
    Rule("verify", frozenset({"GET", "POST"}), re.compile(r"/auth/verify(/resend)?"), 30, 60),
    Rule("survey", frozenset({"GET", "POST"}), re.compile(r"/s/[^/]+/?"), 120, 60),
    Rule("join", frozenset({"POST"}), re.compile(r"/join/[^/]+(/[^/]+)?/?"), 10, 60),
    Rule("join-page", frozenset({"GET"}), re.compile(r"/join/[^/]+(/[^/]+)?/?"), 120, 60),
    Rule("self-service", frozenset({"GET", "POST"}), re.compile(r"/p/[^/]+(/[a-z]+)?/?"), 60, 60),
)


class FixedWindowLimiter:
    def __init__(self, client: redis.Redis) -> None:
        """`client`: a Redis client with short timeouts (the composition root's)."""
        self.client = client
        self._down_until = 0.0

    def hit(self, rule: Rule, client: str) -> int:
        """Counts one request; returns 0 when allowed, else seconds until the next window."""
        now = time.time()
        if now < self._down_until:
            return 0
        window = int(now // rule.window_seconds)
        key = f"kairos:ratelimit:{rule.name}:{client}:{window}"
        try:
            pipe = self.client.pipeline()
            pipe.incr(key)
            pipe.expire(key, rule.window_seconds + 1)
            count = int(pipe.execute()[0])
        except (redis.RedisError, OSError) as error:
            log.warning("rate limiter cannot reach redis (%s); failing open", type(error).__name__)
            self._down_until = now + 5  # don't pay the connect timeout on every request
            return 0
        if count <= rule.limit:
            return 0
        return max(1, int((window + 1) * rule.window_seconds - now) + 1)


class RateLimitMiddleware:
    def __init__(
        self, app: ASGIApp, limiter: FixedWindowLimiter, rules: tuple[Rule, ...] | None = None
    ) -> None:
        self.app = app
        self.limiter = limiter
        self.rules = rules if rules is not None else DEFAULT_RULES

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            for rule in self.rules:
                if rule.matches(scope["method"], scope["path"]):
                    client = (scope.get("client") or ("unknown", 0))[0]
                    retry_after = await anyio.to_thread.run_sync(self.limiter.hit, rule, client)
                    if retry_after:
                        await _too_many(send, retry_after)
                        return
                    break
        await self.app(scope, receive, send)


async def _too_many(send: Send, retry_after: int) -> None:
    extra = [(b"retry-after", str(retry_after).encode())]
    await send_detail(send, 429, "too many requests; retry later", extra)


def install_rate_limits(app: FastAPI, enabled: bool, client: redis.Redis | None) -> None:
    if enabled and client is not None:
        app.add_middleware(RateLimitMiddleware, limiter=FixedWindowLimiter(client))
