"""`kairos bench --quick` for real, once, against this machine's PostgreSQL and Redis (or
embedded ones): about a minute. Shape only, never timings (docs/benchmarks.md has those)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import runner

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_quick_bench_prints_one_json_object_with_every_figure() -> None:
    """The one real run in CI: shape only, never timings."""
    completed = subprocess.run(
        [sys.executable, "-m", "interfaces.cli.main", "bench", "--quick", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads(completed.stdout)
    assert report["errors"] == {}, report["errors"]
    assert completed.returncode == 0
    expected = {
        "kairos_16w_events_per_s",
        "stock_16w_events_per_s",
        "raw_16w_rows_per_s",
        "kairos_vs_stock_16w",
        "kairos_vs_raw_16w",
        "catchup_events_per_s",
        "live_lag_p50_ms",
        "live_lag_p99_ms",
        "relay_events_per_s",
        "relay_commit_to_enqueue_p99_ms",
        "api_bare_req_per_s",
        "api_read_req_per_s",
        "api_command_p99_ms",
        "api_read_vs_bare",
        "replay_events_per_s",
        "planning_seconds",
        "planning_peak_mb",
        "subscriptions_plan_seconds",
    }
    assert expected <= set(report["figures"])
    assert all(isinstance(report["figures"][k], int | float) for k in expected)
    assert [t["key"] for t in report["targets"]] == [t.key for t in runner.TARGETS]
