"""MyVOD: the calendar feed's secret keys, as SHA-256 digests (internal, app.*).

Revision ID: myvod_0005
"""

from alembic import op

revision = "myvod_0005"
down_revision = "myvod_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE app.myvod_calendar_keys (
            key_hash text PRIMARY KEY,
            watchlist_id uuid NOT NULL UNIQUE,
            issued_at timestamptz NOT NULL
        );
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS app.myvod_calendar_keys")
