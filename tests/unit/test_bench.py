"""`kairos bench`: the report's shape, from fake benchmarks (no timings are asserted anywhere;
the one real quick run is tests/benchmarks/test_bench_smoke.py)."""

from __future__ import annotations

import json
from contextlib import contextmanager
from typing import Any

import pytest
from rich.console import Console

from benchmarks import runner
from benchmarks.common import Result, Servers, percentile
from interfaces.cli.bench import print_report

FIGURES = {
    "append": {"kairos_vs_stock_16w": 5.0, "kairos_vs_raw_16w": 0.9},
    "projection": {"catchup_events_per_s": 30_000.0, "live_lag_p99_ms": 20.0},
    "relay": {"relay_events_per_s": 4_000.0},
    "api": {"api_read_vs_bare": 0.7},
    "replay": {"replay_events_per_s": 60_000.0},
    "planning": {"planning_seconds": 12.0},
    "subscriptions": {"subscriptions_plan_seconds": 0.5},
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
        "subscriptions_plan_seconds": True,
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
