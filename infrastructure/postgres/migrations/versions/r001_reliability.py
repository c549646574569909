"""Reliability: durable idempotency keys and refresh-token rotation.

Revision ID: r001_reliability
"""

from alembic import op

revision = "r001_reliability"
down_revision = None
branch_labels = ("reliability",)
depends_on = "0001_foundation"


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE app.idempotency_keys (
            scope text NOT NULL,
            key text NOT NULL,
            method text NOT NULL,
            path text NOT NULL,
            fingerprint text NOT NULL,
            status int,
            headers jsonb,
            body bytea,
            created_at timestamptz NOT NULL DEFAULT now(),
            completed_at timestamptz,
            expires_at timestamptz NOT NULL DEFAULT now() + interval '24 hours',
            CONSTRAINT idempotency_keys_scope_key UNIQUE (scope, key)
        );
        CREATE INDEX idempotency_keys_expires_at ON app.idempotency_keys (expires_at);
        CREATE TABLE app.refresh_tokens (
            jti text PRIMARY KEY,
            family text NOT NULL,
            account_id uuid NOT NULL,
            issued_at timestamptz NOT NULL DEFAULT now(),
            expires_at timestamptz NOT NULL,
            used_at timestamptz,
            revoked_at timestamptz
        );
        CREATE INDEX refresh_tokens_family ON app.refresh_tokens (family);
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS app.refresh_tokens")
    op.execute("DROP TABLE IF EXISTS app.idempotency_keys")
