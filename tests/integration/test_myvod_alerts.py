"""Availability alerts: one email per change on one of the user's services in their region,
none for other services or regions, never two for the same change."""

from __future__ import annotations

from uuid import uuid4

import httpx

from application.myvod.queries import title_view
from domain.myvod.ids import title_id_for, watchlist_id_for
from infrastructure.bootstrap import Container
from interfaces.tasks import myvod as tasks
from tests.support import myvod as support
from tests.support.myvod import catalogue_movies
from tests.support.polling import eventually
from tests.support.system import running_projector, running_relay
from tests.support.worker import running_worker

myvod_container = support.myvod_container
control = support.control

NAMES = {"Netflix", "HBO Max"}


def alerts_to(mailer: object, email: str) -> list:
    return [m for m in mailer.to(email) if m.custom_args.get("kind") == "myvod-alert"]  # type: ignore[attr-defined]


def user(container: Container, region: str, services: list[str], tmdb_id: int) -> tuple:
    email = f"alert-{uuid4().hex[:12]}@example.com"
    account_id, _ = container.identity.register(email, "a long enough password")
    container.myvod.choose_services(account_id, region, services)
    container.myvod.add_title(account_id, tmdb_id=tmdb_id)
    return email, account_id


def test_new_offer_on_a_users_service_sends_exactly_one_email_and_none_elsewhere(
    myvod_container: Container, control: httpx.Client
) -> None:
    c = myvod_container
    mailer = c.mailer
    movie = next(
        m for m in catalogue_movies()[150:] if not any(o["name"] in NAMES for o in m["sources"])
    )
    title_id = title_id_for(movie["id"])
    with running_projector(c), running_worker(c) as publisher, running_relay(c, publisher):
        fan, fan_id = user(c, "PL", ["netflix"], movie["id"])
        other_service, _ = user(c, "PL", ["hbomax"], movie["id"])
        other_region, _ = user(c, "US", ["netflix"], movie["id"])
        eventually(lambda: c.myvod.repository.get(title_id).checked_at)

        changed = control.post(
            "/_control/availability",
            json={"tmdb_id": movie["id"], "region": "PL", "service": "Netflix", "type": "sub"},
        )
        assert changed.json()["ok"]
        assert c.myvod.refresh_availability(title_id) == "changed"

        mail = eventually(lambda: alerts_to(mailer, fan))
        assert len(mail) == 1
        assert movie["title"] in mail[0].subject and "netflix" in mail[0].subject
        alerts = eventually(
            lambda: c.database.fetch_all(
                "SELECT watchlist_id, change_key FROM read.myvod_alerts WHERE tmdb_id = %s",
                (movie["id"],),
            )
        )
        assert [a["watchlist_id"] for a in alerts] == [watchlist_id_for(fan_id)]
        history = eventually(
            lambda: [
                h
                for h in (title_view(c.database, movie["id"]) or {"history": []})["history"]
                if (h["region"], h["service"], h["type"]) == ("PL", "netflix", "stream")
            ]
        )
        assert history[0]["change"] == "added"

        # The same change delivered again (at-least-once) changes nothing.
        change_key = alerts[0]["change_key"]
        offer = {"region": "PL", "service": "netflix", "type": "stream", "url": None}
        assert tasks.raise_alerts(str(title_id), [offer], False, event_id=change_key) == 0
        wid = str(watchlist_id_for(fan_id))
        assert tasks.send_alert(wid, change_key) == "already sent"
        publisher.publish(
            "myvod.send_alert", {"watchlist_id": wid, "change_key": change_key}, f"dup-{uuid4()}"
        )
        # A later, different change (a new offer on another service) is news again.
        control.post(
            "/_control/availability",
            json={"tmdb_id": movie["id"], "region": "PL", "service": "HBO Max", "type": "sub"},
        )
        assert c.myvod.refresh_availability(title_id) == "changed"
        eventually(lambda: alerts_to(mailer, other_service))
        assert len(alerts_to(mailer, fan)) == 1
        assert alerts_to(mailer, other_region) == []


def test_first_availability_of_a_new_title_is_not_an_alert(
    myvod_container: Container,
) -> None:
    assert tasks.raise_alerts(str(uuid4()), [{"type": "stream"}], True, event_id="x") == 0


def test_alert_email_is_retried_when_the_mail_provider_is_down(
    myvod_container: Container, control: httpx.Client
) -> None:
    c = myvod_container
    movie = next(
        m for m in catalogue_movies()[200:] if not any(o["name"] == "Netflix" for o in m["sources"])
    )
    title_id = title_id_for(movie["id"])
    with running_projector(c), running_worker(c) as publisher, running_relay(c, publisher):
        email, _ = user(c, "DE", ["netflix"], movie["id"])
        eventually(lambda: c.myvod.repository.get(title_id).checked_at)
        c.mailer.fail_next = 1
        control.post(
            "/_control/availability",
            json={"tmdb_id": movie["id"], "region": "DE", "service": "Netflix", "type": "sub"},
        )
        c.myvod.refresh_availability(title_id)
        assert len(eventually(lambda: alerts_to(c.mailer, email))) == 1


def test_no_alert_email_for_an_erased_person(myvod_container: Container) -> None:
    from interfaces.tasks import runtime

    c = myvod_container
    movie = catalogue_movies()[230]
    with running_projector(c):
        email, account_id = user(c, "FR", ["canalplus"], movie["id"])
        _, position = c.myvod.add_title(account_id, tmdb_id=catalogue_movies()[231]["id"])
        assert c.database.wait_for("myvod_views", "myvod", position, 5)
    offer = {"region": "FR", "service": "canalplus", "type": "stream", "url": None}
    assert c.myvod.raise_alerts(movie["id"], movie["title"], [offer], "myvod:erased-test") == 1
    c.vault.erase(account_id)
    runtime.set_container(c)
    try:
        outcome = tasks.send_alert.run(str(watchlist_id_for(account_id)), "myvod:erased-test")
    finally:
        runtime.set_container(None)
    assert outcome == "no address (erased)"
    assert alerts_to(c.mailer, email) == []
