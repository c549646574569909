"""Delivery reports stored before the domain had its own words for them (version 1 of
`Prompt.DeliveryRecorded` held SendGrid's event name in `event`) still replay: the upcaster
reads them as today's outcome, the aggregate and the read models come out as they would from
today's event, and the stored bytes stay as they were, so the audit chain still verifies."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from eventsourcing.persistence import Mapper, StoredEvent
from eventsourcing.utils import get_topic

from application.audit.projections import HashChainProjection
from domain.esm.delivery import DeliveryOutcome
from domain.esm.prompt import Prompt
from infrastructure.audit.verify_chain import verify_log
from infrastructure.bootstrap import Container
from infrastructure.postgres.projector import Projector
from tests.integration.audit_flow import catch_up, launched_campaign

IGNORED = {"_modified_on", "_pending_events"}


def stored_by_version_1(mapper: Mapper[UUID], prompt: Prompt, event: str) -> StoredEvent:
    """The row version 1 of the code wrote: no class_version, the provider's `event`."""
    state = mapper.transcoder.encode(
        {
            "timestamp": prompt.modified_on,
            "campaign_id": prompt.campaign_id,
            "event": event,
            "message_id": "v1-message",
            "occurred_at": prompt.modified_on,
        }
    )
    if mapper.compressor:
        state = mapper.compressor.compress(state)
    if mapper.cipher:
        state = mapper.cipher.encrypt(state)
    return StoredEvent(prompt.id, prompt.version + 1, get_topic(Prompt.DeliveryRecorded), state)


def state_of(prompt: Any) -> dict[str, Any]:
    return {k: v for k, v in vars(prompt).items() if k not in IGNORED}


def test_a_version_1_bounce_replays_to_the_state_of_todays_event_and_still_verifies(
    container: Container,
) -> None:
    email = f"upcast-{uuid4().hex[:8]}@example.net"
    with launched_campaign(container) as flow:
        container.identity.register(email, "correct horse battery")
        flow.enroll(email)
        flow.clock.advance(hours=2, minutes=1)
        prompt_id = flow.send_due(email)[0]
    esm = container.esm
    before = esm.repository.get(prompt_id)
    esm.recorder.insert_events([stored_by_version_1(esm.mapper, before, "bounce")])
    [row] = esm.recorder.select_events(prompt_id, gt=before.version)
    stored = bytes(row.state)

    replayed = esm.repository.get(prompt_id)
    today = esm.repository.get(prompt_id, version=before.version)
    assert today.record_delivery(
        DeliveryOutcome.BOUNCED, "v1-message", before.modified_on, reported_as="bounce"
    )
    [new_event] = today.collect_events()
    [old_event] = [e for e in esm.events.get(prompt_id, gt=before.version)]
    assert (old_event.outcome, old_event.reported_as) == ("bounced", "bounce")
    assert (new_event.outcome, new_event.reported_as) == ("bounced", "bounce")
    assert state_of(replayed) == state_of(today)
    assert replayed.deliveries == [("bounce", "v1-message", before.modified_on.isoformat())]
    assert not replayed.record_delivery(  # the same report again is a repeat
        DeliveryOutcome.BOUNCED, "v1-message", before.modified_on, reported_as="bounce"
    )

    catch_up(container)
    participant = container.database.fetch_one(
        "SELECT pa.delivery_problem FROM read.esm_participants pa"
        " JOIN read.esm_prompts pr ON pr.participant_id = pa.id WHERE pr.id = %s",
        (prompt_id,),
    )
    assert participant == {"delivery_problem": "the mail provider reported bounce"}
    timeline = container.database.fetch_all(
        "SELECT kind, detail FROM read.esm_timeline WHERE prompt_id = %s AND kind LIKE 'deliv%%'",
        (prompt_id,),
    )
    assert timeline == [{"kind": "delivery_problem", "detail": "bounce"}]

    Projector(container.database, container.applications, [HashChainProjection()]).catch_up()
    assert verify_log(container.database.pool, "esm").differences == []
    [again] = esm.recorder.select_events(prompt_id, gt=before.version)
    assert bytes(again.state) == stored, "reading upcasts; the stored row is never rewritten"
