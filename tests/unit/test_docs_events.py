"""docs/events.md is generated from domain/; this fails when they drift apart."""

from __future__ import annotations

from eventsourcing.utils import get_topic

from domain.identity.account import Account
from interfaces.cli.docs.events import EVENTS_DOC, REGENERATE, aggregates, events_of, render


def test_docs_events_md_matches_the_events_in_the_code() -> None:
    expected = render()
    actual = EVENTS_DOC.read_text() if EVENTS_DOC.exists() else ""
    assert actual == expected, (
        f"docs/events.md is out of date with domain/. Regenerate it with:\n    {REGENERATE}"
    )


def test_the_catalogue_lists_every_aggregates_concrete_events_with_their_topics() -> None:
    assert Account in aggregates()
    assert events_of(Account) == [
        Account.Registered,
        Account.RolesGranted,
        Account.PasswordChanged,
        Account.Disabled,
        Account.VerificationRequested,
        Account.VerificationLinkResent,
        Account.EmailVerified,
        Account.Erased,
    ]
    text = render()
    assert f"`{get_topic(Account.Registered)}`" in text
    assert "`sealed_email: str`, `password_hash: str`, `roles: tuple[str, ...]`" in text
