"""ESMpress several questionnaires per campaign: each campaign's questionnaires, and which
one each prompt and response belongs to.

The `esm` projection's version 6 fills these from the first event on upgrade.

Revision ID: studies_0003
"""

from alembic import op

revision = "studies_0003"
down_revision = "studies_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        ALTER TABLE read.esm_campaigns
            ADD COLUMN IF NOT EXISTS questionnaires jsonb NOT NULL DEFAULT '[]'::jsonb;
        ALTER TABLE read.esm_prompts
            ADD COLUMN IF NOT EXISTS questionnaire text NOT NULL DEFAULT 'main';
        ALTER TABLE read.esm_responses
            ADD COLUMN IF NOT EXISTS questionnaire text NOT NULL DEFAULT 'main';
        """
    )


def downgrade() -> None:
    op.execute(
        """
        ALTER TABLE read.esm_responses DROP COLUMN IF EXISTS questionnaire;
        ALTER TABLE read.esm_prompts DROP COLUMN IF EXISTS questionnaire;
        ALTER TABLE read.esm_campaigns DROP COLUMN IF EXISTS questionnaires;
        """
    )
