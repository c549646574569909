"""ESMpress study designs: several reminders per prompt, campaigns that complete themselves.

The `esm` projection's version 4 fills these from the first event on upgrade.

Revision ID: studies_0001
"""

from alembic import op

revision = "studies_0001"
down_revision = None
branch_labels = ("studies",)
depends_on = "console_0001"


def upgrade() -> None:
    op.execute(
        """
        ALTER TABLE read.esm_campaigns
            ADD COLUMN IF NOT EXISTS reminders jsonb NOT NULL DEFAULT '[]'::jsonb,
            ADD COLUMN IF NOT EXISTS completed_by text;
        ALTER TABLE read.esm_prompts
            ADD COLUMN IF NOT EXISTS reminders_sent int NOT NULL DEFAULT 0;
        """
    )


def downgrade() -> None:
    op.execute(
        """
        ALTER TABLE read.esm_prompts DROP COLUMN IF EXISTS reminders_sent;
        ALTER TABLE read.esm_campaigns DROP COLUMN IF EXISTS reminders,
            DROP COLUMN IF EXISTS completed_by;
        """
    )
