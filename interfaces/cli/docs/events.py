"""Generates docs/events.md from the code: every Aggregate subclass under domain/ and its
event classes, with topic, fields and class_version. `kairos docs events --write`."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
from pathlib import Path

from eventsourcing.domain import Aggregate, DomainEvent
from eventsourcing.utils import get_topic

import domain

ROOT = Path(__file__).resolve().parents[3]
EVENTS_DOC = ROOT / "docs" / "events.md"
REGENERATE = ".venv/bin/python -m interfaces.cli.main docs events --write"
ENVELOPE = ("originator_id", "originator_version", "timestamp", "originator_topic")

HEADER = f"""# Event catalogue

<!-- GENERATED from domain/ by interfaces/cli/docs/events.py. Do not edit by hand.
     Regenerate: {REGENERATE} -->

Every event type stored in the event store, per bounded context and aggregate. Each event
also carries the envelope every stored event has: `originator_id` (the aggregate's UUID),
`originator_version` (its position in the aggregate's stream), `timestamp` (UTC) and, for
creation events, `originator_topic`. The **topic** is what the events table's `topic`
column holds; the projector and the relay match on it. Renaming or moving an event class
changes its topic: add an upcast (bump `class_version`) instead of breaking stored history.
Personal data only ever appears sealed by the vault (fields named `sealed_*`).
"""


def aggregates() -> list[type[Aggregate]]:
    """Aggregate subclasses defined in domain/ modules, in a stable order."""
    found: dict[str, type[Aggregate]] = {}
    for module_info in pkgutil.walk_packages(domain.__path__, prefix="domain."):
        module = importlib.import_module(module_info.name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(value, Aggregate)
                and value is not Aggregate
                and value.__module__ == module.__name__
            ):
                found[get_topic(value)] = value
    return [found[topic] for topic in sorted(found)]


def events_of(aggregate: type[Aggregate]) -> list[type[DomainEvent]]:
    """The aggregate's concrete event classes: its nested DomainEvent classes that are not a
    base of another one (the library's per-aggregate `Event` and unused `Created`)."""
    candidates: list[type[DomainEvent]] = []
    for value in vars(aggregate).values():
        if inspect.isclass(value) and issubclass(value, DomainEvent) and value not in candidates:
            candidates.append(value)
    concrete = [
        c for c in candidates if not any(o is not c and issubclass(o, c) for o in candidates)
    ]
    creations = [c for c in concrete if issubclass(c, Aggregate.Created)]
    if len(creations) > 1:  # drop the library's unused default `Created`
        concrete = [c for c in concrete if not (c.__name__ == "Created" and not _own_fields(c))]
    return concrete


def _own_fields(event: type[DomainEvent]) -> list[dataclasses.Field]:  # type: ignore[type-arg]
    return [f for f in dataclasses.fields(event) if f.name not in ENVELOPE]  # type: ignore[arg-type]


def _fields(event: type[DomainEvent]) -> str:
    parts = []
    for f in _own_fields(event):
        kind = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
        parts.append(f"`{f.name}: {kind}`".replace("|", "\\|"))
    return ", ".join(parts) or "—"


def _summary(aggregate: type[Aggregate]) -> str:
    doc = inspect.getdoc(aggregate) or ""
    return " ".join(doc.split("\n\n")[0].split())


def render() -> str:
    lines = [HEADER]
    context = None
    for aggregate in aggregates():
        module = aggregate.__module__
        aggregate_context = module.split(".")[1]
        if aggregate_context != context:
            context = aggregate_context
            lines.append(f"## {context}\n")
        lines.append(f"### {aggregate.__name__} (`{module.replace('.', '/')}.py`)\n")
        summary = _summary(aggregate)
        if summary:
            lines.append(f"{summary}\n")
        lines.append("| Event | Topic | Fields | class_version |")
        lines.append("|---|---|---|---|")
        for event in events_of(aggregate):
            version = getattr(event, "class_version", 1)
            lines.append(
                f"| {event.__name__} | `{get_topic(event)}` | {_fields(event)} | {version} |"
            )
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


DOC = EVENTS_DOC
