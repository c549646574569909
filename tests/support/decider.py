"""Given events, when a command, then events: the one helper of the domain tests (ESM,
MyVOD, identity), after Emmett's DeciderSpecification.

    watchlist = given(Watchlist(account_id=owner), lambda w: w.add_title(7, tid, AT))
    watchlist.mark_watched(7, 8, AT)                 # when
    assert then(watchlist) == ["TitleWatched"]       # then (event class names)

`given` runs the commands, then rebuilds the aggregate from the events they recorded, as the
repository does, so every test also proves the history replays to the same state.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from eventsourcing.domain import Aggregate, DomainEvent

A = TypeVar("A", bound=Aggregate)
Command = Callable[[A], Any]


def replay(history: list[DomainEvent]) -> Any:
    aggregate: Any = None
    for event in history:
        aggregate = event.mutate(aggregate)
    assert aggregate is not None, "an empty history"
    return aggregate


def given_history(aggregate: A, *commands: Command[A]) -> tuple[A, list[DomainEvent]]:
    """The aggregate rebuilt from its creation and these commands' events, and those events."""
    for command in commands:
        command(aggregate)
    history = list(aggregate.collect_events())
    return replay(history), history


def given(aggregate: A, *commands: Command[A]) -> A:
    """The aggregate rebuilt from its creation and these commands' events (nothing pending)."""
    return given_history(aggregate, *commands)[0]


def then_events(aggregate: Aggregate) -> list[DomainEvent]:
    """The events the `when` step recorded (and clears them)."""
    return list(aggregate.collect_events())


def then(aggregate: Aggregate) -> list[str]:
    """The class names of the events the `when` step recorded (and clears them)."""
    return [type(e).__name__ for e in then_events(aggregate)]
