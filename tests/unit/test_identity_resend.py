"""Resending the confirmation link: given a sign-up, when its owner asks again, then the same
claim's link goes out anew, a minute apart at the fastest and six times in all."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from domain.identity.account import (
    MAX_RESENDS,
    VERIFICATION_VALID_FOR,
    Account,
    AlreadyVerified,
)
from domain.shared.errors import RateLimited
from tests.support.decider import given, then_events

AT = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)
CLAIM = "claim-of-the-signer"


def signed_up(*commands: Callable[[Account], Any]) -> Account:
    """An account signed up at AT, these commands run, rebuilt from its events."""
    return given(Account.sign_up(uuid4(), "sealed:v1:opaque", "hash-0", CLAIM, AT), *commands)


def test_a_resend_sends_the_same_claims_link_again_valid_from_now() -> None:
    account = signed_up()
    claim = account.resend_verification("unused", AT + timedelta(minutes=2))
    (event,) = then_events(account)
    assert isinstance(event, Account.VerificationLinkResent)
    assert (claim, event.claim) == (CLAIM, CLAIM)
    # The link now lasts three days from the resend, not from the sign-up.
    assert account.verify(CLAIM, AT + timedelta(minutes=2) + VERIFICATION_VALID_FOR)


def test_a_resend_within_a_minute_of_the_last_link_is_refused_with_the_wait() -> None:
    account = signed_up()
    with pytest.raises(RateLimited) as refused:
        account.resend_verification("unused", AT + timedelta(seconds=20))
    assert refused.value.retry_after == 40
    assert then_events(account) == []


def test_after_six_links_the_resends_stop() -> None:
    account = signed_up(
        *(
            lambda a, n=n: a.resend_verification("unused", AT + timedelta(minutes=2 * n))
            for n in range(1, MAX_RESENDS + 1)
        )
    )
    with pytest.raises(RateLimited, match="six times"):
        account.resend_verification("unused", AT + timedelta(hours=1))


def test_a_confirmed_address_needs_no_link() -> None:
    account = signed_up()
    account.verify(CLAIM, AT + timedelta(minutes=1))
    with pytest.raises(AlreadyVerified):
        account.resend_verification("unused", AT + timedelta(minutes=5))


def test_another_claimants_sign_up_is_not_the_one_resent() -> None:
    """The owner signed in knows the account's own password: the stranger's claim (with a
    password of its own) is neither resent nor pushed out."""
    account = signed_up(
        lambda a: a.claim_address("strangers-claim", "hash-1", AT + timedelta(minutes=1))
    )
    assert account.resend_verification("unused", AT + timedelta(minutes=3)) == CLAIM
    assert set(account.claims) == {CLAIM, "strangers-claim"}


def test_when_the_owners_claim_has_lapsed_a_new_one_is_requested() -> None:
    account = signed_up(  # five newer claims push the first one out
        *(
            lambda a, n=n: a.claim_address(f"other-{n}", "hash-x", AT + timedelta(minutes=n + 1))
            for n in range(5)
        )
    )
    assert account.resend_verification("fresh", AT + timedelta(minutes=10)) == "fresh"
    assert [type(e).__name__ for e in then_events(account)] == ["VerificationRequested"]
