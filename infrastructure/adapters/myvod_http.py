"""What the TMDB and Watchmode adapters share: JSON over httpx with the vendors' failure
modes mapped to the MyVOD ports' errors, and a per-process request pacer."""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx

from application.myvod.ports import UpstreamRefused, UpstreamUnavailable

MAX_INLINE_WAIT = 2.0
"""A Retry-After up to this many seconds is waited out in place once; longer ones go back
to the task, which retries with backoff."""


class Pacer:
    """Keeps one process under a vendor's request rate (requests per second)."""

    def __init__(self, per_second: float) -> None:
        self.interval = 1.0 / per_second if per_second > 0 else 0.0
        self.lock = threading.Lock()
        self.next_at = 0.0

    def wait(self) -> None:
        if not self.interval:
            return
        with self.lock:
            now = time.monotonic()
            start = max(now, self.next_at)
            self.next_at = start + self.interval
        if start > now:
            time.sleep(start - now)


class VendorClient:
    """What TMDB and Watchmode adapters share: a base URL, a key, a pacer and one httpx
    client; `_fetch` gets JSON with the vendor's failures mapped onto the ports' errors."""

    vendor = "vendor"
    default_per_second = 1.0

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        timeout: float = 5.0,
        client: httpx.Client | None = None,
        pacer: Pacer | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.client = client or httpx.Client(timeout=timeout)
        self.pacer = pacer or Pacer(self.default_per_second)

    def _fetch(self, path: str, params: dict[str, Any], headers: dict[str, str]) -> Any | None:
        return get_json(
            self.client,
            f"{self.base_url}{path}",
            vendor=self.vendor,
            pacer=self.pacer,
            params=params,
            headers=headers,
        )


PACE_SCRIPT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local interval = tonumber(ARGV[1])
local start = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'))
local ttl = math.ceil((start + interval - now) * 1000) + 1000
redis.call('SET', KEYS[1], tostring(start + interval), 'PX', ttl)
return tostring(start - now)
"""


class SharedPacer(Pacer):
    """Paces every process that uses the same Redis key (API, worker children): each call
    reserves the next free slot atomically with Redis' own clock. Falls back to pacing this
    process alone when Redis cannot be reached."""

    def __init__(self, client: Any, key: str, per_second: float) -> None:
        """`client`: a Redis client with short timeouts (the composition root's)."""
        super().__init__(per_second)
        self.key = f"kairos:pace:{key}"
        self.client = client
        self.script = self.client.register_script(PACE_SCRIPT)

    def wait(self) -> None:
        if not self.interval:
            return
        try:
            delay = float(self.script(keys=[self.key], args=[self.interval]))
        except Exception:  # Redis down: pace this process only, never stop the call
            super().wait()
            return
        if delay > 0:
            time.sleep(delay)


def retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "").strip()
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


def get_json(
    client: httpx.Client,
    url: str,
    *,
    vendor: str,
    pacer: Pacer,
    params: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Any | None:
    """The decoded body; None on 404. Raises UpstreamUnavailable (429, 5xx, timeouts,
    transport errors) or UpstreamRefused (other 4xx)."""
    for attempt in range(2):
        pacer.wait()
        try:
            response = client.get(url, params=params, headers=headers)
        except httpx.TimeoutException as error:
            raise UpstreamUnavailable(f"{vendor} timed out") from error
        except httpx.TransportError as error:
            raise UpstreamUnavailable(f"{vendor} unreachable: {type(error).__name__}") from error
        status = response.status_code
        if status == 429:
            wait = retry_after(response)
            if attempt == 0 and wait is not None and wait <= MAX_INLINE_WAIT:
                time.sleep(wait)
                continue
            raise UpstreamUnavailable(f"{vendor} rate limit (429)", wait)
        if status >= 500:
            raise UpstreamUnavailable(f"{vendor} answered {status}", retry_after(response))
        if status == 404:
            return None
        if status >= 400:
            raise UpstreamRefused(f"{vendor} refused the request ({status}): {_message(response)}")
        try:
            return response.json()
        except ValueError as error:
            raise UpstreamUnavailable(f"{vendor} sent a body that is not JSON") from error
    raise UpstreamUnavailable(f"{vendor} rate limit (429)")


def _message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(body, dict):
        for key in ("status_message", "statusMessage", "errorMessage", "message"):
            if key in body:
                return str(body[key])[:200]
    return str(body)[:200]
