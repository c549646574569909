"""Property tests for the aggregates (hypothesis): for any sequence of commands,
1. every command refused with a domain error leaves no event and no change of state, and
2. the state rebuilt from the events (after a round trip through the event store's mapper,
   as they would be read back from PostgreSQL) equals the state after the commands.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import NAMESPACE_URL, uuid4, uuid5

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.esm.campaign import Campaign
from domain.esm.delivery import DeliveryOutcome
from domain.identity.account import Account
from domain.myvod.watchlist import Watchlist
from domain.shared.errors import DomainError
from tests.support.esm_domain import new_enrollment, new_prompt

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
Command = Callable[[Any], object]
PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
MAPPER = Application(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}).mapper


def state_of(aggregate: Aggregate) -> dict[str, Any]:
    return copy.deepcopy({k: v for k, v in vars(aggregate).items() if k != "_pending_events"})


def replay(events: list[Any]) -> Aggregate:
    state: Aggregate | None = None
    for domain_event in events:
        stored = MAPPER.to_stored_event(domain_event)
        state = MAPPER.to_domain_event(stored).mutate(state)
    assert state is not None
    return state


def check_properties(aggregate: Aggregate, commands: list[Command]) -> int:
    refused = 0
    for command in commands:
        before, pending = state_of(aggregate), len(aggregate.pending_events)
        try:
            command(aggregate)
        except DomainError:
            refused += 1
            assert len(aggregate.pending_events) == pending, "a refused command left an event"
            assert state_of(aggregate) == before, "a refused command changed the state"
    rebuilt = replay(list(aggregate.pending_events))
    assert normalised(state_of(rebuilt)) == normalised(state_of(aggregate))
    return refused


def normalised(value: Any) -> Any:
    """JSON has no tuples: a tuple read back as a list is the same state."""
    if isinstance(value, dict):
        return {k: normalised(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [normalised(v) for v in value]
    if isinstance(value, set):
        return sorted(normalised(v) for v in value)
    return value


minutes = st.integers(min_value=-120, max_value=60 * 24 * 3)


def at(offset: int) -> datetime:
    return T0 + timedelta(minutes=offset)


# -- Account -------------------------------------------------------------------------------
roles = st.lists(
    st.sampled_from(["member", "researcher", "auditor", "analyst", "admin", "wizard"]),
    max_size=3,
)
account_commands = st.lists(
    st.one_of(
        roles.map(lambda r: lambda a: a.grant_roles(tuple(r))),
        st.text(max_size=20).map(lambda h: lambda a: a.change_password(h)),
        st.just(lambda a: a.disable()),
    ),
    max_size=12,
)


@PROPERTY_SETTINGS
@given(commands=account_commands)
def test_account_rebuilt_from_its_events_equals_the_live_state(commands: list[Command]) -> None:
    account = Account.register(uuid4(), "sealed", "hash", ("member",))
    check_properties(account, commands)


# -- Watchlist -----------------------------------------------------------------------------
tmdb = st.integers(min_value=-1, max_value=4)
watchlist_commands = st.lists(
    st.one_of(
        st.tuples(tmdb, minutes).map(
            lambda x: lambda w: w.add_title(x[0], uuid5(NAMESPACE_URL, str(x[0])), at(x[1]))
        ),
        tmdb.map(lambda t: lambda w: w.remove_title(t)),
        st.tuples(tmdb, st.none() | st.integers(-1, 11), minutes).map(
            lambda x: lambda w: w.mark_watched(x[0], x[1], at(x[2]))
        ),
        st.tuples(tmdb, st.text(max_size=40) | st.just("x" * 501)).map(
            lambda x: lambda w: w.write_note(x[0], x[1])
        ),
        st.tuples(
            st.sampled_from(["PL", "us", "XXX", "1A", " de "]),
            st.lists(st.sampled_from(["netflix", "Disney_Plus", "max", "bad name!"]), max_size=3),
        ).map(lambda x: lambda w: w.choose_services(x[0], x[1])),
        st.tuples(st.sampled_from(["r1", "r2"]), minutes).map(
            lambda x: lambda w: w.request_suggestions(x[0], at(x[1]))
        ),
        st.sampled_from(["r1", "r2", "r3"]).map(
            lambda r: lambda w: w.record_suggestions(r, [{"title": "T"}], "gemini", None)
        ),
        st.tuples(st.sampled_from(["c1", "c2"]), tmdb).map(
            lambda x: lambda w: w.raise_alert(x[0], x[1], "T", [{"service": "netflix"}])
        ),
    ),
    max_size=20,
)


@PROPERTY_SETTINGS
@given(commands=watchlist_commands)
def test_watchlist_rebuilt_from_its_events_equals_the_live_state(commands: list[Command]) -> None:
    watchlist = Watchlist(account_id=uuid4())
    check_properties(watchlist, commands)


# -- Campaign ------------------------------------------------------------------------------
DEFINITION: dict[str, Any] = {
    "name": "Mood study",
    "timezone": "Europe/Warsaw",
    "start_date": "2026-03-02",
    "end_date": "2026-03-16",
    "expiry_minutes": 60,
    "questionnaire": {
        "questions": [{"id": "mood", "type": "slider", "text": "Mood?", "min": 0, "max": 10}]
    },
    "schedule": {"kind": "fixed", "times": ["09:00", "18:00"]},
}
campaign_commands = st.lists(
    st.one_of(
        st.sampled_from(["launch", "pause", "resume", "complete", "archive"]).flatmap(
            lambda name: minutes.map(lambda m: lambda c: getattr(c, name)(at(m)))
        ),
        st.tuples(
            st.sampled_from(["name", "description", "expiry_minutes", "owner_id"]),
            st.sampled_from(["New name", "", 30, 0]),
            minutes,
        ).map(lambda x: lambda c: c.update({x[0]: x[1]}, at(x[2]))),
    ),
    max_size=15,
)


@PROPERTY_SETTINGS
@given(commands=campaign_commands)
def test_campaign_rebuilt_from_its_events_equals_the_live_state(commands: list[Command]) -> None:
    campaign_id = uuid4()
    campaign = Campaign.create(campaign_id, uuid4(), DEFINITION, T0)
    check_properties(campaign, commands)


# -- Prompt --------------------------------------------------------------------------------
prompt_commands = st.lists(
    st.one_of(
        st.tuples(st.text("abcdef", min_size=4, max_size=8), minutes).map(
            lambda x: lambda p: p.claim_sending(x[0], at(x[1]))
        ),
        st.tuples(st.booleans(), minutes).map(
            lambda x: lambda p: p.fail_sending("bounced", x[0], at(x[1]))
        ),
        minutes.map(lambda m: lambda p: p.mark_sent("msg-1", at(m))),
        st.tuples(st.sampled_from(list(DeliveryOutcome)), minutes).map(
            lambda x: lambda p: p.record_delivery(x[0], "msg-1", at(x[1]))
        ),
        minutes.map(lambda m: lambda p: p.open(at(m))),
        st.tuples(st.integers(0, 10), minutes).map(
            lambda x: lambda p: p.answer({"mood": x[0]}, 1, at(x[1]))
        ),
        minutes.map(lambda m: lambda p: p.claim_reminder("rtoken", at(m))),
        minutes.map(lambda m: lambda p: p.mark_reminder_sent("msg-2", at(m))),
        minutes.map(lambda m: lambda p: p.expire(at(m))),
        minutes.map(lambda m: lambda p: p.cancel("withdrawn", at(m))),
    ),
    max_size=20,
)


@PROPERTY_SETTINGS
@given(commands=prompt_commands)
def test_prompt_rebuilt_from_its_events_equals_the_live_state(commands: list[Command]) -> None:
    prompt = new_prompt(T0, reminder=20, completion=30, sequence=1)
    check_properties(prompt, commands)


# -- Enrollment ----------------------------------------------------------------------------
enrollment_commands = st.lists(
    st.one_of(
        st.tuples(st.integers(0, 3), st.integers(0, 3), minutes).map(
            lambda x: (
                lambda e: e.record_day(
                    (T0 + timedelta(days=x[0])).date(),
                    7,
                    [at(x[2] + 60 * k) for k in range(x[1])],
                    at(x[2]),
                )
            )
        ),
        minutes.map(lambda m: lambda e: e.withdraw(at(m))),
    ),
    max_size=10,
)


@PROPERTY_SETTINGS
@given(commands=enrollment_commands)
def test_enrollment_rebuilt_from_its_events_equals_the_live_state(commands: list[Command]) -> None:
    enrollment = new_enrollment(T0, "Europe/Warsaw")
    check_properties(enrollment, commands)


def test_the_harness_catches_a_command_that_changes_state_before_refusing() -> None:
    """A self-check: a command that mutates and then raises must fail the property."""
    account = Account.register(uuid4(), "sealed", "hash", ("member",))

    def sloppy(a: Account) -> None:
        a.roles = ("admin",)
        raise DomainError("refused too late")

    try:
        check_properties(account, [sloppy])
    except AssertionError as error:
        assert "changed the state" in str(error)
    else:
        raise AssertionError("the harness missed a state change")
