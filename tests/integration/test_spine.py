"""The spine's basic promises on real PostgreSQL: read-your-writes, optimistic concurrency
(one winner, one 409), and a projection that keeps up even when a NOTIFY is lost."""

from __future__ import annotations

import threading
import time
from uuid import UUID, uuid4

from fastapi import FastAPI
from fastapi.testclient import TestClient

from domain.identity.account import Account
from domain.shared.errors import ConcurrencyError
from infrastructure.bootstrap import Container
from infrastructure.postgres.leadership import Leadership
from infrastructure.postgres.notifications import NotificationWaiter
from infrastructure.postgres.projector import Projector
from interfaces.http.errors import install_error_handlers
from tests.support.system import channels, running_projector


def _why_not(container: Container, position: int) -> str:
    """What a failed wait_for needs to be understood: where the projection is, and who leads."""
    leaders = container.database.fetch_all(
        "SELECT pid, granted FROM pg_locks WHERE locktype = 'advisory'"
        " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
    )
    return (
        f"accounts at {container.database.position('accounts', 'identity')},"
        f" wanted {position}; advisory locks: {leaders}"
    )


def _register(container: Container) -> tuple[UUID, int]:
    return container.identity.register(f"user-{uuid4().hex}@example.com", "correct horse battery")


def test_an_event_saved_is_visible_in_its_projection_once_waited_for(
    container: Container,
) -> None:
    email = f"user-{uuid4().hex}@example.com"
    with running_projector(container):
        account_id, position = container.identity.register(email, "correct horse battery")
        assert container.database.wait_for("accounts", "identity", position, timeout=30), _why_not(
            container, position
        )
        row = container.database.fetch_one(
            "SELECT roles, disabled FROM app.accounts WHERE id = %s", (account_id,)
        )
        granted = container.identity.grant_roles(account_id, ("researcher",))
        assert container.database.wait_for("accounts", "identity", granted, timeout=30), _why_not(
            container, granted
        )
        roles = container.database.fetch_one(
            "SELECT roles FROM app.accounts WHERE id = %s", (account_id,)
        )
    assert row == {"roles": ["member"], "disabled": False}
    assert roles == {"roles": ["member", "researcher"]}
    principal = container.authenticator.authenticate(email, "correct horse battery")
    assert principal.account_id == account_id


def test_two_concurrent_writers_on_one_aggregate_give_one_success_and_one_conflict(
    container: Container,
) -> None:
    account_id, _ = _register(container)
    loaded = [container.identity.repository.get(account_id) for _ in range(2)]
    both_loaded = threading.Barrier(2)
    outcomes: list[str] = []

    def write(account: Account, new_hash: str) -> None:
        both_loaded.wait(5)
        account.change_password(new_hash)
        try:
            container.identity.save(account)
            outcomes.append("saved")
        except ConcurrencyError:
            outcomes.append("conflict")

    threads = [
        threading.Thread(target=write, args=(account, f"hash-{i}"))
        for i, account in enumerate(loaded)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert sorted(outcomes) == ["conflict", "saved"]
    stored = container.identity.repository.get(account_id)
    assert stored.version == 2  # Registered + exactly one PasswordChanged


def test_a_version_conflict_reaches_the_client_as_409(container: Container) -> None:
    """Two requests race to change one account through a route: one 200, one 409."""
    account_id, _ = _register(container)
    both_loaded = threading.Barrier(2)
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/accounts/{account_id}/password")
    def change_password(account_id: UUID, new_hash: str) -> dict[str, str]:
        account = container.identity.repository.get(account_id)
        both_loaded.wait(5)  # both requests hold the same version before either saves
        account.change_password(new_hash)
        container.identity.save(account)
        return {"status": "changed"}

    responses: list[tuple[int, dict[str, str]]] = []
    with TestClient(app) as client:

        def call(i: int) -> None:
            r = client.post(f"/accounts/{account_id}/password", params={"new_hash": f"h{i}"})
            responses.append((r.status_code, r.json()))

        threads = [threading.Thread(target=call, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(15)

    assert sorted(status for status, _ in responses) == [200, 409]
    conflict = next(body for status, body in responses if status == 409)
    assert "changed by another request" in conflict["detail"]


def test_a_lost_notify_does_not_stall_a_projection(container: Container) -> None:
    """The waiter listens on a channel nobody notifies: only the poll fallback can wake it."""
    url = container.settings.database_url or ""
    projector = Projector(container.database, container.applications, container.projections())
    deaf = NotificationWaiter(url, ["kairos_nobody_notifies_this"])
    stop = threading.Event()
    thread = threading.Thread(
        target=projector.run_forever,
        args=(stop, Leadership(url, "projector"), deaf),
        kwargs={"poll_interval": 0.3},
        daemon=True,
    )
    thread.start()
    try:
        # Let the projector reach the idle wait, then write: no NOTIFY will reach it.
        head = container.identity.recorder.max_notification_id() or 0
        assert container.database.wait_for("accounts", "identity", head, timeout=10)
        started = time.monotonic()
        _, position = _register(container)
        assert container.database.wait_for("accounts", "identity", position, timeout=5)
        caught_up_after = time.monotonic() - started
    finally:
        stop.set()
        thread.join(10)
    assert caught_up_after < 5


def test_notify_wakes_a_listening_waiter(container: Container) -> None:
    waiter = NotificationWaiter(container.settings.database_url or "", channels(container))
    try:
        waiter.wait(timeout=0.01)  # connects and LISTENs
        _register(container)
        assert waiter.wait(timeout=5) is True
    finally:
        waiter.close()
