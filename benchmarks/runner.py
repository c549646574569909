"""Runs every benchmark in one process, side by side, and checks the targets (issue 7)."""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from benchmarks import api, append, planning, projection, relay, replay, subscriptions
from benchmarks.common import FULL, QUICK, Profile, Result, Servers, servers


@dataclass(frozen=True)
class Target:
    key: str
    label: str
    threshold: float
    higher_is_better: bool = True

    def met(self, value: float | None) -> bool | None:
        if value is None:
            return None
        return value >= self.threshold if self.higher_is_better else value < self.threshold


TARGETS = (
    Target("kairos_vs_stock_16w", "append 16 writers vs stock recorder", 4.0),
    Target("kairos_vs_raw_16w", "append 16 writers vs raw psycopg inserts", 0.8),
    Target("catchup_events_per_s", "projection catch-up events/s", 20_000),
    Target("live_lag_p99_ms", "projection live lag p99 ms at 500 events/s", 200, False),
    Target("relay_events_per_s", "relay events/s", 5_000),
    Target("api_read_vs_bare", "read endpoint vs bare FastAPI", 0.5),
    Target("replay_events_per_s", "audit replay events/s", 50_000),
    Target("planning_seconds", "100k enrollment-days planned, seconds", 30, False),
    Target(
        "subscriptions_plan_seconds", "1,000 titles x 50 services, 12-month plan, seconds", 2, False
    ),
)


def machine() -> dict[str, Any]:
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average_1m_at_start": round(load[0], 2),
    }


def benchmarks(found: Servers, profile: Profile) -> list[tuple[str, Callable[[], Result]]]:
    redis_url = found.redis or ""
    return [
        ("append", lambda: append.run(found.postgres, profile)),
        ("projection", lambda: projection.run(found.postgres, profile)),
        ("relay", lambda: relay.run(found.postgres, redis_url, profile)),
        ("api", lambda: api.run(found.postgres, redis_url, profile)),
        ("replay", lambda: replay.run(found.postgres, profile)),
        ("planning", lambda: planning.run(found.postgres, profile)),
        ("subscriptions", lambda: subscriptions.run(profile)),
    ]


def run_all(
    quick: bool = False,
    only: list[str] | None = None,
    postgres_url: str | None = None,
    redis_url: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    profile = QUICK if quick else FULL
    report: dict[str, Any] = {
        "profile": profile.name,
        "machine": machine(),
        "figures": {},
        "seconds": {},
        "notes": [],
        "errors": {},
    }
    began = time.perf_counter()
    with servers(postgres_url, redis_url) as found:
        report["servers"] = {"postgres": found.postgres_kind, "redis": found.redis_kind}
        for name, bench in benchmarks(found, profile):
            if only and name not in only:
                continue
            if progress:
                progress(name)
            started = time.perf_counter()
            try:
                result = bench()
                report["figures"].update(result.figures)
                report["notes"].extend(result.notes)
            except Exception as error:  # one failing benchmark must not hide the others
                report["errors"][name] = repr(error)[:500]
            report["seconds"][name] = round(time.perf_counter() - started, 1)
    report["seconds"]["total"] = round(time.perf_counter() - began, 1)
    report["targets"] = [
        {
            "key": t.key,
            "label": t.label,
            "threshold": t.threshold,
            "higher_is_better": t.higher_is_better,
            "value": report["figures"].get(t.key),
            "met": t.met(report["figures"].get(t.key)),
        }
        for t in TARGETS
    ]
    if profile is QUICK:
        report["notes"].append("quick profile: small sizes, targets are not meaningful")
    return report
