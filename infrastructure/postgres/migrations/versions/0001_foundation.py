"""Foundation: schemas, positions, dead letters, vault, accounts.

Revision ID: 0001_foundation
"""

from alembic import op

revision = "0001_foundation"
down_revision = None
branch_labels = ("foundation",)
depends_on = None


def upgrade() -> None:
    op.execute("CREATE SCHEMA IF NOT EXISTS events")
    op.execute("CREATE SCHEMA IF NOT EXISTS read")
    op.execute("CREATE SCHEMA IF NOT EXISTS app")
    op.execute("CREATE SCHEMA IF NOT EXISTS vault")
    op.execute(
        """
        CREATE TABLE app.projection_positions (
            projection text NOT NULL,
            application text NOT NULL,
            position bigint NOT NULL DEFAULT 0,
            updated_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (projection, application)
        );
        CREATE TABLE app.projection_failures (
            projection text NOT NULL,
            application text NOT NULL,
            notification_id bigint NOT NULL,
            topic text NOT NULL,
            error text NOT NULL,
            failed_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (projection, application, notification_id)
        );
        CREATE TABLE app.relay_positions (
            application text PRIMARY KEY,
            position bigint NOT NULL DEFAULT 0,
            updated_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE app.dead_letters (
            id bigserial PRIMARY KEY,
            task_id text NOT NULL,
            task_name text NOT NULL,
            kwargs jsonb NOT NULL,
            error text NOT NULL,
            attempts int NOT NULL,
            failed_at timestamptz NOT NULL DEFAULT now(),
            replayed_at timestamptz
        );
        CREATE UNIQUE INDEX dead_letters_task_id ON app.dead_letters (task_id)
            WHERE replayed_at IS NULL;
        CREATE TABLE app.task_effects (
            effect_key text PRIMARY KEY,
            task_id text NOT NULL,
            done_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE app.accounts (
            id uuid PRIMARY KEY,
            password_hash text NOT NULL,
            roles text[] NOT NULL,
            disabled boolean NOT NULL DEFAULT false,
            registered_at timestamptz NOT NULL
        );
        CREATE TABLE vault.subject_keys (
            subject_id uuid PRIMARY KEY,
            key bytea NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE vault.erasures (
            subject_id uuid PRIMARY KEY,
            erased_at timestamptz NOT NULL DEFAULT now()
        );
        """
    )


def downgrade() -> None:
    op.execute("DROP SCHEMA IF EXISTS app CASCADE")
    op.execute("DROP SCHEMA IF EXISTS vault CASCADE")
    op.execute("DROP SCHEMA IF EXISTS read CASCADE")
