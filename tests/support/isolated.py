"""A whole system on its own fresh database, for tests that run processes or rebuild
everything and must not share the session database's positions or advisory locks."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from infrastructure.bootstrap import Container, bootstrap
from infrastructure.postgres.database import database_url_for
from infrastructure.postgres.migrate import prepare_database
from infrastructure.settings import Settings
from tests.support.servers import fresh_database


@contextmanager
def isolated_container(settings: Settings, prefix: str = "kairos_iso") -> Iterator[Container]:
    """A Container on a new database of the session's server (and its own Celery queue)."""
    server_url = database_url_for(settings.database_url or "", "postgres")
    with fresh_database(server_url, prefix=prefix) as url:
        prepare_database(url)
        isolated = settings.model_copy(
            update={"database_url": url, "celery_queue": f"kairos-iso-{secrets.token_hex(4)}"}
        )
        container = bootstrap(isolated)
        try:
            yield container
        finally:
            container.close()


def process_env(settings: Settings, data_dir: Path) -> dict[str, str]:
    """The environment for a `python -m interfaces.cli.main ...` child on these settings."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        {
            "DATABASE_URL": settings.database_url or "",
            "REDIS_URL": settings.redis_url or "",
            "SECRET_KEY": settings.secret_key or "",
            "CELERY_QUEUE": settings.celery_queue,
            "ARGON2_TIME_COST": str(settings.argon2_time_cost),
            "ARGON2_MEMORY_KIB": str(settings.argon2_memory_kib),
            "DATA_DIR": str(data_dir),
            "PYTHONUNBUFFERED": "1",
            "LOG_LEVEL": "INFO",
        }
    )
    return env
