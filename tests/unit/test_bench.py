"""`kairos bench`: the report's shape (no timings are asserted anywhere)."""

from __future__ import annotations

import json
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from benchmarks import runner
from benchmarks.common import Result, Servers, percentile
from interfaces.cli.bench import print_report

ROOT = Path(__file__).resolve().parents[2]
FIGURES = {
    "append": {"kairos_vs_stock_16w": 5.0, "kairos_vs_raw_16w": 0.9},
    "projection": {"catchup_events_per_s": 30_000.0, "live_lag_p99_ms": 20.0},
    "relay": {"relay_events_per_s": 4_000.0},
    "api": {"api_read_vs_bare": 0.7},
    "replay": {"replay_events_per_s": 60_000.0},
    "planning": {"planning_seconds": 12.0},
}


@pytest.fixture
def fake_benchmarks(monkeypatch: pytest.MonkeyPatch) -> None:
    @contextmanager
    def fake_servers(*_: Any) -> Any:
        yield Servers("postgresql://fake", "redis://fake", "local", "local")

    def fake(found: Servers, profile: Any) -> list[tuple[str, Any]]:
        def make(name: str) -> Any:
            if name == "api":
                return lambda: (_ for _ in ()).throw(RuntimeError("server did not start"))
            return lambda: Result(name, dict(FIGURES[name]), [f"{name} note"])

        return [(name, make(name)) for name in FIGURES]

    monkeypatch.setattr(runner, "servers", fake_servers)
    monkeypatch.setattr(runner, "benchmarks", fake)


def test_report_lists_every_target_with_its_verdict_and_keeps_going_after_a_failure(
    fake_benchmarks: None,
) -> None:
    report = runner.run_all(quick=True)
    verdicts = {t["key"]: t["met"] for t in report["targets"]}
    assert verdicts == {
        "kairos_vs_stock_16w": True,
        "kairos_vs_raw_16w": True,
        "catchup_events_per_s": True,
        "live_lag_p99_ms": True,
        "relay_events_per_s": False,
        "api_read_vs_bare": None,  # the api benchmark failed: no value, no verdict
        "replay_events_per_s": True,
        "planning_seconds": True,
    }
    assert "server did not start" in report["errors"]["api"]
    assert set(report["seconds"]) == {*FIGURES, "total"}
    json.dumps(report)  # JSON-ready


def test_printed_report_shows_figures_targets_and_errors(fake_benchmarks: None) -> None:
    console = Console(record=True, width=160)
    print_report(console, runner.run_all(quick=True))
    text = console.export_text()
    assert "catchup_events_per_s" in text and "30,000.0" in text
    assert "relay events/s" in text and "api failed" in text


def test_percentiles_of_one_or_many_values() -> None:
    assert percentile([5.0], 99) == 5.0
    assert percentile([float(i) for i in range(1, 101)], 50) == pytest.approx(50.5)


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
    }
    assert expected <= set(report["figures"])
    assert all(isinstance(report["figures"][k], int | float) for k in expected)
    assert [t["key"] for t in report["targets"]] == [t.key for t in runner.TARGETS]
