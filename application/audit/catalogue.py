"""The event catalogue (docs/events.md), generated from the domain code.

Regenerate after changing an event: `python -m application.audit.catalogue > docs/events.md`.
tests/unit/test_audit_catalogue.py fails when the document and the code disagree.
"""

from __future__ import annotations

import importlib
import pkgutil
import typing
from collections.abc import Iterator
from types import ModuleType
from typing import Any

from eventsourcing.domain import Aggregate, DomainEvent
from eventsourcing.utils import get_topic

import domain

BASE_FIELDS = {
    "originator_id",
    "originator_version",
    "timestamp",
    "originator_id_type",
    "originator_topic",
}

HEADER = """# Event catalogue

Every event type the domain can record, per bounded context and aggregate: its stored
topic, its class version and its fields (besides `originator_id`, `originator_version` and
`timestamp`, which every event has). Generated from the code by
`python -m application.audit.catalogue > docs/events.md`; `tests/unit/test_audit_catalogue.py`
fails when this file drifts from the code. How to change an event safely (class versions and
upcasters) is in [audit.md](audit.md#changing-an-event-upcasting).

Personal data: fields named `sealed_*` hold the vault's ciphertext (AES-GCM under the
person's own key), never plaintext; `token_hash` holds a SHA-256, never a token.
"""


def domain_modules() -> Iterator[ModuleType]:
    for info in sorted(pkgutil.walk_packages(domain.__path__, "domain."), key=lambda i: i.name):
        yield importlib.import_module(info.name)


def aggregates(module: ModuleType) -> list[type[Aggregate]]:
    found = [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, Aggregate)
        and value is not Aggregate
        and value.__module__ == module.__name__
    ]
    return sorted(found, key=lambda c: c.__name__)


def events_of(aggregate: type[Aggregate]) -> list[type[DomainEvent]]:
    candidates = {
        name: value
        for name, value in vars(aggregate).items()
        if isinstance(value, type)
        and issubclass(value, DomainEvent)
        and name not in ("Event", "Snapshot")
    }
    created = candidates.get("Created")
    if created is not None and any(
        v is not created and issubclass(v, Aggregate.Created) for v in candidates.values()
    ):
        del candidates["Created"]  # only the base of the aggregate's own creation event
    return sorted(candidates.values(), key=lambda c: c.__name__)


def type_name(hint: Any) -> str:
    if isinstance(hint, type):
        return hint.__name__
    text = str(hint).replace("typing.", "").replace("datetime.", "").replace("uuid.", "")
    return text.replace("|", "\\|")  # inside a Markdown table


def fields_of(event: type[DomainEvent]) -> list[tuple[str, str]]:
    try:
        hints = typing.get_type_hints(event)
    except Exception:  # unresolvable forward references: fall back to the raw annotations
        hints = {}
        for klass in reversed(event.__mro__):
            hints.update(getattr(klass, "__annotations__", {}))
    return [(name, type_name(hint)) for name, hint in hints.items() if name not in BASE_FIELDS]


def upcasters_of(event: type[DomainEvent]) -> list[str]:
    return sorted(name for name in dir(event) if name.startswith("upcast_v"))


def render() -> str:
    lines = [HEADER]
    for module in domain_modules():
        for aggregate in aggregates(module):
            context = module.__name__.split(".")[1]
            lines.append(f"## {context}: {aggregate.__name__}\n")
            lines.append(f"Aggregate topic `{get_topic(aggregate)}`.\n")
            lines.append("| event | version | fields | upcasters |")
            lines.append("| --- | --- | --- | --- |")
            for event in events_of(aggregate):
                fields = ", ".join(f"`{n}: {t}`" for n, t in fields_of(event)) or "none"
                version = getattr(event, "class_version", 1)
                upcasters = ", ".join(f"`{u}`" for u in upcasters_of(event)) or "none"
                lines.append(
                    f"| `{aggregate.__name__}.{event.__name__}` | {version} | {fields}"
                    f" | {upcasters} |"
                )
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    print(render(), end="")
