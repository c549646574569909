"""Session-wide real services. Unit tests never touch these fixtures."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest

from infrastructure.bootstrap import Container, bootstrap, explicit_settings
from infrastructure.postgres.migrate import prepare_database
from infrastructure.settings import Settings
from tests.support.servers import fresh_database, postgres_server, redis_server

pytest_plugins = ["tests.support.fakes"]  # `fakes_url`, `fakes`: vendor fakes over HTTP


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    with postgres_server() as server, fresh_database(server) as url:
        prepare_database(url)
        yield url


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    with redis_server() as url:
        yield url


@pytest.fixture(scope="session")
def settings(postgres_url: str, redis_url: str) -> Settings:
    return explicit_settings(
        database_url=postgres_url,
        redis_url=redis_url,
        secret_key=secrets.token_hex(32),
        argon2_time_cost=1,
        argon2_memory_kib=1024,
        celery_queue=f"kairos-test-{secrets.token_hex(4)}",
        public_url="http://testserver",
        rate_limit_enabled=False,  # shared client IP; tests/integration/test_security* turn it on
    )


@pytest.fixture(scope="session")
def container(settings: Settings) -> Iterator[Container]:
    c = bootstrap(settings)
    yield c
    c.close()


@pytest.fixture(scope="session")
def api(container: Container):  # type: ignore[no-untyped-def]
    from interfaces.http.app import create_app

    return create_app(container)


@pytest.fixture
def client(api):  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    with TestClient(api) as test_client:
        yield test_client
