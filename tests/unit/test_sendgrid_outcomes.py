"""The SendGrid adapter speaks SendGrid; the domain hears delivery outcomes."""

from __future__ import annotations

from domain.esm.delivery import DeliveryOutcome
from infrastructure.adapters.sendgrid_webhook import outcome_of


def test_sendgrid_event_names_map_onto_the_domains_delivery_outcomes() -> None:
    assert outcome_of("processed") is DeliveryOutcome.ACCEPTED
    assert outcome_of("open") is DeliveryOutcome.OPENED
    assert outcome_of("bounce") is DeliveryOutcome.BOUNCED
    assert outcome_of("bounce", "blocked") is DeliveryOutcome.BLOCKED
    assert outcome_of("spamreport") is DeliveryOutcome.COMPLAINED
    assert outcome_of("something new") is DeliveryOutcome.OTHER
