"""Audit replay of one ESM campaign with a large history: the auditor's own path
(application/audit: read the campaign's streams in commit order, decode every event through
the eventsourcing mapper, fold them into aggregates), over the whole campaign at once.

The history is real ESM domain events (Campaign, Enrollment, Prompt: scheduled, claimed,
sent, opened, answered) of one generated participant, cloned under fresh aggregate ids until
the campaign has the wanted number of events, and loaded with COPY."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import psycopg

from application.audit.replay import fold
from application.audit.stored import load_campaign_events
from application.shared.app import KairosApplication
from benchmarks.common import Profile, Result, fresh_database, rate, warsaw_participant
from domain.esm.campaign import Campaign
from domain.esm.planning import plan_prompts
from domain.esm.schedule import plan_day, zone
from infrastructure.audit.store import PostgresAuditStore
from infrastructure.postgres.database import Database, connect_pool
from infrastructure.postgres.eventstore import event_store_env

START = date(2026, 1, 5)
DAYS = 14


class EsmStore(KairosApplication):
    name = "esm"


def definition(prompts_per_day: int = 3) -> dict[str, Any]:
    return {
        "name": "Benchmark study",
        "timezone": "Europe/Warsaw",
        "start_date": START.isoformat(),
        "end_date": (START + timedelta(days=DAYS - 1)).isoformat(),
        "expiry_minutes": 60,
        "completion_minutes": 15,
        "reminder_after_minutes": 20,
        "questionnaire": {
            "questions": [
                {"id": "mood", "type": "likert", "text": "How is your mood?", "points": 5}
            ]
        },
        "schedule": {
            "kind": "random",
            "prompts_per_day": prompts_per_day,
            "window_start": "09:00",
            "window_end": "21:00",
        },
    }


def participant_events(campaign: Campaign, at: datetime) -> list[Any]:
    """One participant's two weeks: enrollment, planned days, prompts answered."""
    tz = zone("Europe/Warsaw")
    enrollment = warsaw_participant(campaign.id, at)
    events: list[Any] = []
    for offset in range(DAYS):
        day = START + timedelta(days=offset)
        moments = plan_day(campaign.policy, day, tz, None, seed=offset)
        for prompt in plan_prompts(campaign, enrollment, day, offset, moments, at):
            moment = prompt.scheduled_at
            prompt.claim_sending("token-hash", moment)
            prompt.mark_sent("message-id", moment + timedelta(seconds=5))
            prompt.open(moment + timedelta(minutes=3))
            prompt.answer({"mood": 3}, 1, moment + timedelta(minutes=4))
            events.extend(prompt.collect_events())
    return [*enrollment.collect_events(), *events]


def load_history(url: str, app: EsmStore, count: int) -> UUID:
    """Writes a campaign with `count` events; returns its id."""
    at = datetime(2026, 1, 4, 12, tzinfo=UTC)
    campaign = Campaign.create(uuid4(), uuid4(), definition(), at)
    campaign.launch(at)
    head = [app.mapper.to_stored_event(e) for e in campaign.collect_events()]
    block = [app.mapper.to_stored_event(e) for e in participant_events(campaign, at)]
    with psycopg.connect(url, autocommit=True) as conn:
        with (
            conn.cursor() as cur,
            cur.copy(
                "COPY events.esm_events (originator_id, originator_version, topic, state)"
                " FROM STDIN (FORMAT BINARY)"
            ) as copy,
        ):
            copy.set_types(["uuid", "int8", "text", "bytea"])
            for e in head:
                copy.write_row((e.originator_id, e.originator_version, e.topic, e.state))
            written = len(head)
            while written < count:
                ids: dict[Any, UUID] = {}
                for e in block[: count - written]:
                    clone = ids.setdefault(e.originator_id, uuid4())
                    copy.write_row((clone, e.originator_version, e.topic, e.state))
                written += min(len(block), count - written)
        conn.execute(
            "INSERT INTO audit.campaign_streams"
            " (campaign_id, aggregate_id, aggregate_type, first_notification_id)"
            " SELECT %s, originator_id, split_part(split_part(min(topic), ':', 2), '.', 1),"
            " min(notification_id) FROM events.esm_events GROUP BY originator_id",
            (campaign.id,),
        )
        conn.execute("ANALYZE events.esm_events")
    return campaign.id


def run(server_url: str, profile: Profile) -> Result:
    result = Result("replay")
    with fresh_database(server_url, "replay") as url:
        app = EsmStore(env=event_store_env(url, pool_size=1, max_overflow=2))
        pool = connect_pool(url, max_size=2, name="bench-replay")
        try:
            began = time.perf_counter()
            campaign_id = load_history(url, app, profile.replay_events)
            result.figures["replay_setup_s"] = round(time.perf_counter() - began, 1)
            began = time.perf_counter()
            store = PostgresAuditStore(Database(pool))
            events = load_campaign_events(store, app, campaign_id)  # type: ignore[arg-type]
            loaded = time.perf_counter()
            aggregates, _, _ = fold(events, None)
            done = time.perf_counter()
            result.figures["replay_events"] = len(events)
            result.figures["replay_aggregates"] = len(aggregates)
            result.figures["replay_events_per_s"] = rate(len(events), done - began)
            result.figures["replay_read_decode_s"] = round(loaded - began, 2)
            result.figures["replay_fold_s"] = round(done - loaded, 2)
            result.notes.append(
                "replay = the auditor's path (application.audit.stored.load_campaign_events:"
                " read + decode through the eventsourcing mapper; application.audit.replay.fold:"
                " apply) over ESM domain events (Campaign, Enrollment, Prompt)"
            )
        finally:
            app.close()
            pool.close()
    return result
