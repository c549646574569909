"""MyVOD: availability history per title (every offer added or removed, with when).

Revision ID: myvod_0002
"""

from alembic import op

revision = "myvod_0002"
down_revision = "myvod_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE read.myvod_availability_changes (
            title_id uuid NOT NULL,
            at timestamptz NOT NULL,
            change text NOT NULL,
            region text NOT NULL,
            service text NOT NULL,
            type text NOT NULL,
            PRIMARY KEY (title_id, at, change, region, service, type)
        );
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS read.myvod_availability_changes")
