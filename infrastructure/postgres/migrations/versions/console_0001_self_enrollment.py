"""ESMpress console: self-enrollment (join codes, consent, pending participants, pauses) and
the prompt-journey timeline (written by the `esm` projection, whose version 3 is rebuilt
from the first event by the projector on upgrade).

Revision ID: console_0001
"""

from alembic import op

revision = "console_0001"
down_revision = None
branch_labels = ("console",)
depends_on = "esm_0001"


def upgrade() -> None:
    op.execute(
        """
        ALTER TABLE read.esm_campaigns
            ADD COLUMN IF NOT EXISTS self_enrollment jsonb,
            ADD COLUMN IF NOT EXISTS join_code text;
        CREATE UNIQUE INDEX IF NOT EXISTS esm_campaigns_join_code
            ON read.esm_campaigns (join_code) WHERE join_code IS NOT NULL;

        ALTER TABLE read.esm_participants
            ADD COLUMN IF NOT EXISTS source text NOT NULL DEFAULT 'researcher',
            ADD COLUMN IF NOT EXISTS consent_version int,
            ADD COLUMN IF NOT EXISTS consented_at timestamptz,
            ADD COLUMN IF NOT EXISTS confirmed_at timestamptz,
            ADD COLUMN IF NOT EXISTS paused_until timestamptz,
            ADD COLUMN IF NOT EXISTS erased boolean NOT NULL DEFAULT false;

        CREATE TABLE read.esm_timeline (
            position bigint PRIMARY KEY,
            campaign_id uuid NOT NULL,
            participant_id uuid NOT NULL,
            prompt_id uuid,
            at timestamptz NOT NULL,
            kind text NOT NULL,
            detail text
        );
        CREATE INDEX esm_timeline_participant
            ON read.esm_timeline (campaign_id, participant_id, at);
        CREATE INDEX esm_timeline_prompt ON read.esm_timeline (prompt_id);
        CREATE INDEX esm_timeline_problems ON read.esm_timeline (campaign_id, at)
            WHERE kind = 'delivery_problem';
        """
    )


def downgrade() -> None:
    op.execute(
        """
        DROP TABLE IF EXISTS read.esm_timeline;
        ALTER TABLE read.esm_participants DROP COLUMN IF EXISTS source,
            DROP COLUMN IF EXISTS consent_version, DROP COLUMN IF EXISTS consented_at,
            DROP COLUMN IF EXISTS confirmed_at, DROP COLUMN IF EXISTS paused_until,
            DROP COLUMN IF EXISTS erased;
        DROP INDEX IF EXISTS read.esm_campaigns_join_code;
        ALTER TABLE read.esm_campaigns DROP COLUMN IF EXISTS self_enrollment,
            DROP COLUMN IF EXISTS join_code;
        """
    )
