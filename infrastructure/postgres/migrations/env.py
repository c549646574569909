"""Alembic environment: one branch per bounded context; the tables they make are declared
once in infrastructure/postgres/tables (target_metadata), so autogenerate compares the
database with that declaration (infrastructure/postgres/migrate.py `schema_drift`)."""

from alembic import context
from sqlalchemy import create_engine, pool, text

from infrastructure.postgres.migrate import COMPARE_OPTIONS
from infrastructure.postgres.tables import metadata

config = context.config
url = config.get_main_option("sqlalchemy.url")
assert url is not None
engine = create_engine(url, poolclass=pool.NullPool)
with engine.connect() as connection:
    # Concurrent `kairos up` / test sessions must not run the same migration twice.
    connection.execute(text("SELECT pg_advisory_lock(7140001)"))
    connection.commit()
    context.configure(
        connection=connection,
        target_metadata=metadata,
        version_table_schema="public",
        **COMPARE_OPTIONS,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.execute(text("SELECT pg_advisory_unlock(7140001)"))
    connection.commit()
engine.dispose()
