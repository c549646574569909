"""Reliability: participants who rejoin, and participants whose address takes no mail.

Revision ID: r002_participants
"""

from alembic import op

revision = "r002_participants"
down_revision = "r001_reliability"
branch_labels = None
depends_on = "esm_0001"


def upgrade() -> None:
    op.execute(
        """
        ALTER TABLE read.esm_participants
            ADD COLUMN IF NOT EXISTS rejoined_at timestamptz,
            ADD COLUMN IF NOT EXISTS delivery_problem text,
            ADD COLUMN IF NOT EXISTS delivery_problem_at timestamptz;
        """
    )


def downgrade() -> None:
    op.execute(
        "ALTER TABLE read.esm_participants DROP COLUMN IF EXISTS rejoined_at,"
        " DROP COLUMN IF EXISTS delivery_problem, DROP COLUMN IF EXISTS delivery_problem_at"
    )
