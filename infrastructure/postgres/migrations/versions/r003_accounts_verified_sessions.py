"""Reliability: verified and erased accounts, sessions that end, webhook deliveries seen.

Revision ID: r003_accounts
"""

from alembic import op

revision = "r003_accounts"
down_revision = "r002_participants"
branch_labels = None
depends_on = "0001_foundation"


def upgrade() -> None:
    op.execute(
        """
        ALTER TABLE app.accounts
            ADD COLUMN IF NOT EXISTS verified boolean NOT NULL DEFAULT true,
            ADD COLUMN IF NOT EXISTS erased boolean NOT NULL DEFAULT false;
        CREATE TABLE IF NOT EXISTS app.session_ends (
            account_id uuid PRIMARY KEY,
            ended_at timestamptz NOT NULL
        );
        CREATE INDEX IF NOT EXISTS refresh_tokens_account ON app.refresh_tokens (account_id);
        CREATE TABLE IF NOT EXISTS app.webhook_events (
            provider text NOT NULL,
            event_id text NOT NULL,
            received_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (provider, event_id)
        );
        CREATE INDEX IF NOT EXISTS webhook_events_received ON app.webhook_events (received_at);
        """
    )


def downgrade() -> None:
    op.execute(
        "DROP TABLE IF EXISTS app.webhook_events; DROP TABLE IF EXISTS app.session_ends;"
        " DROP INDEX IF EXISTS app.refresh_tokens_account;"
        " ALTER TABLE app.accounts DROP COLUMN IF EXISTS verified,"
        " DROP COLUMN IF EXISTS erased"
    )
