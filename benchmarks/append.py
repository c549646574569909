"""Append throughput, one event per command, at 1 and 16 concurrent writers: Kairos's store
(group commit, through an Application), the stock eventsourcing recorder, and raw psycopg
single-row insert transactions of the same rows."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from uuid import uuid4

import psycopg

from benchmarks import common

WRITERS = (1, 16)
RAW_TABLE = "events.raw_events"


class StockApplication(common.BenchApplication):
    name = "benchstock"


def measure(writers: int, seconds: float, command: Callable[[], object]) -> float:
    """Commands per second with `writers` threads looping for `seconds`."""
    counts = [0] * writers
    errors: list[BaseException] = []
    start_line = threading.Barrier(writers + 1)
    stop = threading.Event()

    def loop(i: int) -> None:
        start_line.wait()
        try:
            while not stop.is_set():
                command()
                counts[i] += 1
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=loop, args=(i,), daemon=True) for i in range(writers)]
    for thread in threads:
        thread.start()
    start_line.wait()
    began = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    if errors:
        raise errors[0]
    return common.rate(sum(counts), elapsed)


def run(server_url: str, profile: common.Profile) -> common.Result:
    result = common.Result("append")
    with common.fresh_database(server_url, "append") as url:
        kairos = common.bench_app(url, group_commit=True)
        stock = StockApplication(env=_stock_env(url))
        campaign = uuid4()
        sample = kairos.mapper.to_stored_event(common.Item(campaign, "x", 1).collect_events()[0])
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(
                f"CREATE TABLE {RAW_TABLE} (originator_id uuid NOT NULL,"
                " originator_version bigint NOT NULL, topic text, state bytea,"
                " notification_id bigserial, PRIMARY KEY (originator_id, originator_version))"
            )
            conn.execute(f"CREATE UNIQUE INDEX ON {RAW_TABLE} (notification_id)")
        local = threading.local()

        def raw_insert() -> None:
            conn = getattr(local, "conn", None)
            if conn is None:
                conn = local.conn = psycopg.connect(url, autocommit=True)
                connections.append(conn)
            conn.execute(
                f"INSERT INTO {RAW_TABLE} (originator_id, originator_version, topic, state)"
                " VALUES (%s, 1, %s, %s)",
                (uuid4(), sample.topic, sample.state),
                prepare=True,
            )

        connections: list[psycopg.Connection] = []
        try:
            for writers in WRITERS:
                local = threading.local()
                kairos_rate = measure(
                    writers,
                    profile.append_seconds,
                    lambda: kairos.save(common.Item(campaign, "x", 1)),
                )
                stock_rate = measure(
                    writers,
                    profile.append_seconds,
                    lambda: stock.save(common.Item(campaign, "x", 1)),
                )
                raw_rate = measure(writers, profile.append_seconds, raw_insert)
                result.figures[f"kairos_{writers}w_events_per_s"] = kairos_rate
                result.figures[f"stock_{writers}w_events_per_s"] = stock_rate
                result.figures[f"raw_{writers}w_rows_per_s"] = raw_rate
                result.figures[f"kairos_vs_stock_{writers}w"] = common.ratio(
                    kairos_rate, stock_rate
                )
                result.figures[f"kairos_vs_raw_{writers}w"] = common.ratio(kairos_rate, raw_rate)
            groups = kairos.recorder.groups_committed  # type: ignore[attr-defined]
            result.notes.append(f"kairos committed {groups} shared transactions")
        finally:
            for conn in connections:
                conn.close()
            kairos.close()
            stock.close()
    return result


def _stock_env(url: str) -> dict[str, str]:
    from infrastructure.postgres.eventstore import event_store_env

    env = event_store_env(url, pool_size=4, max_overflow=20, group_commit=False)
    return env | {"CREATE_TABLE": "y"}


__all__ = ["run"]
