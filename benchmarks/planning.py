"""Planning one day of prompts for many enrollments with the ESM application's own planning
step (`ESMApplication._plan`: schedule maths, Enrollment.record_day, Prompt.schedule), then
storing the new events in large appends. Peak memory is measured with tracemalloc in a
separate pass over a sample (tracemalloc slows Python down, so not while timing)."""

from __future__ import annotations

import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any
from uuid import uuid4

from application.esm.service import ESMApplication
from benchmarks.common import Profile, Result, fresh_database, rate, warsaw_participant
from benchmarks.replay import START, definition
from domain.esm.campaign import Campaign
from infrastructure.postgres.eventstore import event_store_env

CHUNK = 500  # enrollments per save(): one transaction of about 2,000 events
TRACED = 10_000  # tracemalloc doubles the run time: the memory pass uses a sample


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def run(server_url: str, profile: Profile) -> Result:
    result = Result("planning")
    total = profile.planning_enrollments
    with fresh_database(server_url, "planning") as url:
        clock = Clock(datetime.combine(START, datetime.min.time(), UTC) + timedelta(hours=5))
        app = ESMApplication(
            event_store_env(url, pool_size=1, max_overflow=2),
            vault=None,  # type: ignore[arg-type]  # planning seals nothing
            clock=clock,  # type: ignore[arg-type]
        )
        app.plan_ahead_days = 0  # exactly one day per enrollment
        seeds = count(1)
        app.seed_source = lambda: next(seeds)
        try:
            campaign = Campaign.create(uuid4(), uuid4(), definition(), clock())
            campaign.launch(clock())
            app.save(campaign)
            enrollments = enroll(app, campaign, total, clock())

            began = time.perf_counter()
            events = 0
            for start in range(0, total, CHUNK):
                batch = []
                for enrollment in enrollments[start : start + CHUNK]:
                    prompts = app._plan(campaign, enrollment)  # the product's planning step
                    batch.append(enrollment)
                    batch.extend(prompts)
                events += len(app.save(*batch))
            elapsed = time.perf_counter() - began
            result.figures["planning_enrollments"] = total
            result.figures["planning_events_written"] = events
            result.figures["planning_seconds"] = round(elapsed, 2)
            result.figures["planning_enrollment_days_per_s"] = rate(total, elapsed)

            clock.now += timedelta(days=1)
            sample = enrollments[: min(total, TRACED)]
            tracemalloc.start()
            for start in range(0, len(sample), CHUNK):
                batch = []
                for enrollment in sample[start : start + CHUNK]:
                    batch.append(enrollment)
                    batch.extend(app._plan(campaign, enrollment))
                app.save(*batch)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            result.figures["planning_peak_mb"] = round(peak / 2**20, 1)
            result.figures["planning_traced_enrollments"] = len(sample)
            result.notes.append(
                "planning = ESMApplication._plan per enrollment (one day) + save() per"
                f" {CHUNK} enrollments; planning_peak_mb = tracemalloc peak while planning and"
                f" saving the next day of {len(sample):,} of them (the same code; memory is"
                f" bounded by the {CHUNK}-enrollment chunk, not by the total)"
            )
        finally:
            app.close()
    return result


def enroll(app: ESMApplication, campaign: Campaign, total: int, at: datetime) -> list[Any]:
    """Creates the enrollments (setup, not timed): stored, then kept in memory at version 1."""
    enrollments = []
    for start in range(0, total, 2000):
        batch = [warsaw_participant(campaign.id, at) for _ in range(min(2000, total - start))]
        app.save(*batch)
        enrollments.extend(batch)
    return enrollments
