"""What every fake checks before it answers, as its vendor does: the API key (against the
keys it was given, not just "some key") and the vendor's rate limits, counted per key in
sliding windows, plus Watchmode's monthly quota.

The vendors' figures (defaults): TMDB about 40 requests per second, Watchmode 120 per minute
and a monthly plan quota, Gemini's free tier 15 requests per minute. `POST /_control/access`
changes them (so a test can reach a limit in a second) and `POST /_control/reset` restores
what the app was created with.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

VENDORS = ("sendgrid", "tmdb", "watchmode", "gemini")
LOCAL_KEYS: dict[str, tuple[str, ...]] = {
    "sendgrid": ("SG.local-fake",),
    "tmdb": ("local-fake",),
    "watchmode": ("local-fake",),
    "gemini": ("local-fake",),
}
"""The keys `kairos up` and the compose fakes profile hand the adapters."""


@dataclass(frozen=True)
class Window:
    requests: int
    seconds: float


DEFAULT_WINDOWS: dict[str, Window] = {
    "sendgrid": Window(600, 60.0),
    "tmdb": Window(40, 1.0),
    "watchmode": Window(120, 60.0),
    "gemini": Window(15, 60.0),
}
DEFAULT_QUOTAS: dict[str, int | None] = {"watchmode": 100_000}
"""Watchmode's monthly plan quota (402 once used up); the others have none."""


@dataclass(frozen=True)
class Admission:
    """The answer to one call: admitted or not, and what the vendor's headers say."""

    admitted: bool
    limit: int
    remaining: int
    retry_after: float = 0.0
    over_quota: bool = False
    quota: int | None = None
    quota_used: int = 0


@dataclass
class Config:
    keys: dict[str, set[str]]
    windows: dict[str, Window]
    quotas: dict[str, int | None]


@dataclass
class Access:
    config: Config = field(
        default_factory=lambda: Config(
            {v: set(k) for v, k in LOCAL_KEYS.items()},
            dict(DEFAULT_WINDOWS),
            dict(DEFAULT_QUOTAS),
        )
    )
    lock: threading.Lock = field(default_factory=threading.Lock)
    created_with: Config | None = None
    calls: dict[tuple[str, str], deque[float]] = field(default_factory=dict)
    used: dict[tuple[str, str, str], int] = field(default_factory=dict)
    refused: dict[str, int] = field(default_factory=dict)

    def configure(
        self,
        keys: Mapping[str, Iterable[str]] | None = None,
        windows: Mapping[str, Window] | None = None,
        quotas: Mapping[str, int | None] | None = None,
    ) -> None:
        """What the app was created with (and `reset()` goes back to)."""
        with self.lock:
            if keys is not None:
                self.config.keys = {v: set(keys.get(v, ())) for v in VENDORS}
            self.config.windows.update(windows or {})
            self.config.quotas.update(quotas or {})
            self.created_with = self._copy(self.config)
            self._clear()

    def reset(self) -> None:
        with self.lock:
            if self.created_with is not None:
                self.config = self._copy(self.created_with)
            self._clear()

    def valid(self, vendor: str, key: str | None) -> bool:
        with self.lock:
            return bool(key) and key in self.config.keys.get(vendor, set())

    def admit(self, vendor: str, key: str) -> Admission:
        """Counts a call with a valid key, unless a window or the quota is full."""
        now = time.monotonic()
        month = datetime.now(UTC).strftime("%Y-%m")
        with self.lock:
            window = self.config.windows[vendor]
            quota = self.config.quotas.get(vendor)
            calls = self.calls.setdefault((vendor, key), deque())
            while calls and calls[0] <= now - window.seconds:
                calls.popleft()
            used = self.used.get((vendor, key, month), 0)
            if quota is not None and used >= quota:
                self.refused[vendor] = self.refused.get(vendor, 0) + 1
                return Admission(False, window.requests, 0, 0.0, True, quota, used)
            if len(calls) >= window.requests:
                self.refused[vendor] = self.refused.get(vendor, 0) + 1
                wait = calls[0] + window.seconds - now
                return Admission(False, window.requests, 0, max(wait, 0.0), False, quota, used)
            calls.append(now)
            self.used[(vendor, key, month)] = used + 1
            remaining = window.requests - len(calls)
            return Admission(True, window.requests, remaining, 0.0, False, quota, used + 1)

    def _clear(self) -> None:
        self.calls.clear()
        self.used.clear()
        self.refused.clear()

    @staticmethod
    def _copy(config: Config) -> Config:
        return Config(
            {v: set(k) for v, k in config.keys.items()}, dict(config.windows), dict(config.quotas)
        )


ACCESS = Access()


class AccessChange(BaseModel):
    vendor: str = Field(pattern="^(sendgrid|tmdb|watchmode|gemini)$")
    keys: list[str] | None = Field(None, description="replaces the vendor's valid keys")
    requests: int | None = Field(None, ge=1, le=1_000_000)
    seconds: float | None = Field(None, gt=0, le=86400)
    quota: int | None = Field(None, ge=0, description="monthly quota (Watchmode)")


router = APIRouter(prefix="/_control")


@router.get("/access", include_in_schema=False)
def access_state() -> dict[str, Any]:
    with ACCESS.lock:
        return {
            "windows": {v: vars(w) for v, w in ACCESS.config.windows.items()},
            "quotas": dict(ACCESS.config.quotas),
            "refused": dict(ACCESS.refused),
        }


@router.post("/access", include_in_schema=False)
def change_access(change: AccessChange) -> dict[str, Any]:
    """Changes one vendor's keys, window or quota until the next reset."""
    fields = change.model_fields_set
    with ACCESS.lock:
        config = ACCESS.config
        if change.keys is not None:
            config.keys[change.vendor] = set(change.keys)
        old = config.windows[change.vendor]
        config.windows[change.vendor] = Window(
            change.requests or old.requests, change.seconds or old.seconds
        )
        if "quota" in fields:
            config.quotas[change.vendor] = change.quota
        ACCESS.calls = {k: v for k, v in ACCESS.calls.items() if k[0] != change.vendor}
    return access_state()
