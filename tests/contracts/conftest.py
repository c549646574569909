"""`wire`: the session's fakes (same state, same keys) behind a recorder, on a port of their
own; `wire.url` is where adapters point, `wire.recorder.take()` what went over the wire."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from stand_ins.server import fakes_app
from tests.contracts.checker import check
from tests.contracts.wire import Exchange, Recorder
from tests.support.fakes import serve


@dataclass
class Wire:
    url: str
    recorder: Recorder
    control: httpx.Client

    def checked(self) -> list[Exchange]:
        """The exchanges since the last call; fails naming every broken contract."""
        exchanges = self.recorder.take()
        assert exchanges, "nothing went over the wire"
        problems = [p for x in exchanges for p in check(x)]
        assert not problems, "\n".join(problems)
        return exchanges


@pytest.fixture(scope="session")
def wire_server(fakes_url: str) -> Iterator[tuple[str, Recorder]]:
    recorder = Recorder(fakes_app())
    with serve(recorder) as url:
        yield url, recorder


@pytest.fixture
def wire(wire_server: tuple[str, Recorder]) -> Iterator[Wire]:
    url, recorder = wire_server
    recorder.take()
    with httpx.Client(base_url=url, timeout=10) as control:
        yield Wire(url, recorder, control)
        for vendor in ("tmdb", "watchmode", "gemini"):
            control.post(f"/_control/{vendor}", json={"fail_next": 0})
        control.post("/_control/sendgrid", json={"fail_next": 0, "delay": 0})
        control.post("/_control/gemini/outcome", json={"outcome": "blocked", "times": 0})
