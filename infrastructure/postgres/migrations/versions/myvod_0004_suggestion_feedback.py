"""MyVOD: what each person thought of suggested picks (liked, seen, not interested).

Revision ID: myvod_0004
"""

from alembic import op

revision = "myvod_0004"
down_revision = "myvod_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE read.myvod_suggestion_feedback (
            watchlist_id uuid NOT NULL,
            key text NOT NULL,
            tmdb_id integer,
            title text NOT NULL,
            year integer,
            verdict text NOT NULL,
            given_at timestamptz NOT NULL,
            PRIMARY KEY (watchlist_id, key)
        );
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS read.myvod_suggestion_feedback")
