"""Restarting `kairos up` broke every stored poster URL (the fakes got a new random port)
and lost the fakes' mailbox and availability changes (hostile trial). Now the fakes keep
their port (`ports.json`) and their state (`--state-dir`) under the data dir, and posters
are stored as paths whose URL is built when read."""

from __future__ import annotations

import os
import signal
from pathlib import Path
from uuid import uuid4

import httpx

from domain.myvod.ids import title_id_for
from domain.myvod.title import Title
from infrastructure.adapters.tmdb import TmdbCatalogue
from infrastructure.bootstrap import Container
from infrastructure.embedded import free_port, stable_port
from tests.support import myvod as support
from tests.support.myvod import catalogue_movies
from tests.support.polling import eventually
from tests.support.processes import Child

myvod_container = support.myvod_container


def _fakes(port: int, state_dir: Path, log: Path) -> Child:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    child = Child(["fakes", "--port", str(port), "--state-dir", str(state_dir)], env, log)
    eventually(lambda: _up(port), 60, lambda: f"fakes did not start\n{child.output()}")
    return child


def _up(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/_mailbox", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def test_a_restarted_fakes_process_keeps_its_mailbox_and_availability_changes(
    tmp_path: Path,
) -> None:
    port, state = free_port(), tmp_path / "fakes"
    base = f"http://127.0.0.1:{port}"
    to = f"kept-{uuid4().hex[:8]}@example.com"
    movie = catalogue_movies()[3]
    first = _fakes(port, state, tmp_path / "fakes-1.log")
    try:
        sent = httpx.post(
            f"{base}/v3/mail/send",
            headers={"Authorization": "Bearer SG.local-fake"},
            json={
                "personalizations": [{"to": [{"email": to}]}],
                "from": {"email": "no-reply@kairos.local"},
                "subject": "kept",
                "content": [{"type": "text/plain", "value": "a survey link"}],
            },
        )
        assert sent.status_code == 202, sent.text
        offer = {"tmdb_id": movie["id"], "region": "PL", "service": "MUBI", "type": "sub"}
        assert httpx.post(f"{base}/_control/availability", json=offer).json()["ok"]
    finally:
        assert first.stop(signal.SIGTERM) in (0, -signal.SIGTERM)
    assert oct((state / "mailbox.jsonl").stat().st_mode & 0o777) == "0o600"

    second = _fakes(port, state, tmp_path / "fakes-2.log")
    try:
        (kept,) = httpx.get(f"{base}/_mailbox", params={"to": to}).json()
        assert kept["subject"] == "kept"
        sources = httpx.get(
            f"{base}/v1/title/movie-{movie['id']}/sources/", params={"apiKey": "local-fake"}
        ).json()
        assert any(s["name"] == "MUBI" and s["region"] == "PL" for s in sources)
        # A reset empties what was kept too.
        httpx.delete(f"{base}/_mailbox")
        httpx.post(f"{base}/_control/reset")
    finally:
        second.stop(signal.SIGTERM)
    assert not (state / "mailbox.jsonl").exists()


def test_kairos_up_gives_the_fakes_the_same_port_on_every_start(tmp_path: Path) -> None:
    first = stable_port(tmp_path, "fakes")
    assert stable_port(tmp_path, "fakes") == first
    assert stable_port(tmp_path, "other") != first


def test_stored_posters_follow_the_image_server_to_its_new_address(
    myvod_container: Container, fakes_url: str
) -> None:
    """A title enriched while the images were served from one address, and one recorded by
    an older version (an absolute URL, no path), both show posters from where they are
    served now; the stored events are not rewritten."""
    c = myvod_container
    account_id, _ = c.identity.register(f"poster-{uuid4().hex[:8]}@example.com", "long password 1")
    fresh = (
        m
        for m in catalogue_movies()[60:]
        if m["poster_path"] and c.myvod.get_or_none(title_id_for(m["id"])) is None
    )
    new, old = next(fresh), next(fresh)
    for movie in (new, old):
        c.myvod.add_title(account_id, tmdb_id=movie["id"])
    c.myvod.enrich_title(title_id_for(new["id"]))
    legacy: Title = c.myvod.repository.get(title_id_for(old["id"]))
    gone = f"http://127.0.0.1:{free_port()}/t/p/w342{old['poster_path']}"
    legacy.enrich(
        title=old["title"],
        year=None,
        poster_path=None,
        poster_url=gone,
        overview="",
        genres=[],
        runtime=None,
    )
    c.myvod.save(legacy)
    from application.myvod import queries
    from tests.support.system import running_projector

    with running_projector(c):
        eventually(
            lambda: (
                [i["metadata"] for i in queries.watchlist_view(c.database, account_id)["items"]]
                == ["ready", "ready"]
            )
        )

    moved = TmdbCatalogue(fakes_url.replace("127.0.0.1", "localhost"), "test-tmdb-key")
    items = {
        i["tmdb_id"]: i
        for i in queries.watchlist_view(c.database, account_id, posters=moved)["items"]
    }
    for movie in (new, old):
        url = items[movie["id"]]["poster_url"]
        assert (
            url == f"{fakes_url.replace('127.0.0.1', 'localhost')}/t/p/w342{movie['poster_path']}"
        )
        assert httpx.get(url).status_code == 200
    events = c.myvod.repository.event_store.get(title_id_for(new["id"]))
    recorded = next(e for e in events if isinstance(e, Title.Enriched))
    assert recorded.poster_path == new["poster_path"] and recorded.poster_url is None
