"""ESMpress data to publish: quality flags per response, each prompt's time zone (for the
long export's local times) and each campaign's quality rules.

The `esm` projection's version 5 fills these from the first event on upgrade.

Revision ID: studies_0002
"""

from alembic import op

revision = "studies_0002"
down_revision = "studies_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        ALTER TABLE read.esm_campaigns
            ADD COLUMN IF NOT EXISTS quality jsonb NOT NULL DEFAULT '{}'::jsonb;
        ALTER TABLE read.esm_prompts ADD COLUMN IF NOT EXISTS timezone text;
        ALTER TABLE read.esm_responses
            ADD COLUMN IF NOT EXISTS duration_seconds double precision,
            ADD COLUMN IF NOT EXISTS too_fast boolean NOT NULL DEFAULT false,
            ADD COLUMN IF NOT EXISTS straight_lined boolean NOT NULL DEFAULT false,
            ADD COLUMN IF NOT EXISTS long_gap boolean NOT NULL DEFAULT false;
        """
    )


def downgrade() -> None:
    op.execute(
        """
        ALTER TABLE read.esm_responses DROP COLUMN IF EXISTS duration_seconds,
            DROP COLUMN IF EXISTS too_fast, DROP COLUMN IF EXISTS straight_lined,
            DROP COLUMN IF EXISTS long_gap;
        ALTER TABLE read.esm_prompts DROP COLUMN IF EXISTS timezone;
        ALTER TABLE read.esm_campaigns DROP COLUMN IF EXISTS quality;
        """
    )
