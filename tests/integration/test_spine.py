from uuid import uuid4

from infrastructure.bootstrap import Container
from infrastructure.postgres.projector import Projector


def test_registered_account_is_visible_in_accounts_projection(container: Container) -> None:
    email = f"user-{uuid4().hex}@example.com"
    account_id, position = container.identity.register(email, "correct horse battery")
    projector = Projector(container.database, container.applications, container.projections())
    projector.catch_up()
    assert container.database.wait_for("accounts", "identity", position, timeout=5)
    principal = container.authenticator.authenticate(email, "correct horse battery")
    assert principal.account_id == account_id
    assert principal.roles == ("member",)
