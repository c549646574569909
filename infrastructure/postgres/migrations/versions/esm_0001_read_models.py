"""ESMpress read models: campaigns, participants (pseudonyms only), prompts, responses.

Revision ID: esm_0001
"""

from alembic import op

revision = "esm_0001"
down_revision = None
branch_labels = ("esm",)
depends_on = "0001_foundation"


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE read.esm_campaigns (
            id uuid PRIMARY KEY,
            owner_id uuid NOT NULL,
            name text NOT NULL,
            description text NOT NULL DEFAULT '',
            status text NOT NULL,
            timezone text NOT NULL,
            start_date date NOT NULL,
            end_date date NOT NULL,
            expiry_minutes int NOT NULL,
            completion_minutes int NOT NULL,
            reminder_after_minutes int,
            questionnaire jsonb NOT NULL,
            questionnaire_version int NOT NULL DEFAULT 1,
            schedule jsonb NOT NULL,
            created_at timestamptz NOT NULL,
            launched_at timestamptz,
            updated_at timestamptz NOT NULL
        );
        CREATE INDEX esm_campaigns_owner ON read.esm_campaigns (owner_id, created_at);

        CREATE TABLE read.esm_participants (
            id uuid PRIMARY KEY,
            campaign_id uuid NOT NULL,
            timezone text NOT NULL,
            window_start text,
            window_end text,
            status text NOT NULL,
            enrolled_at timestamptz NOT NULL,
            withdrawn_at timestamptz,
            planned_through date
        );
        CREATE INDEX esm_participants_campaign ON read.esm_participants (campaign_id);

        CREATE TABLE read.esm_prompts (
            id uuid PRIMARY KEY,
            campaign_id uuid NOT NULL,
            participant_id uuid NOT NULL,
            day date NOT NULL,
            sequence int NOT NULL,
            scheduled_at timestamptz NOT NULL,
            status text NOT NULL,
            attempts int NOT NULL DEFAULT 0,
            lease_until timestamptz,
            sent_at timestamptz,
            deadline timestamptz,
            reminder_due_at timestamptz,
            reminded boolean NOT NULL DEFAULT false,
            opened_at timestamptz,
            answered_at timestamptz,
            latency_seconds double precision,
            expired_at timestamptz,
            expiry_reason text,
            cancelled_at timestamptz,
            cancel_reason text,
            delivery text,
            delivery_at timestamptz
        );
        CREATE INDEX esm_prompts_campaign ON read.esm_prompts (campaign_id, participant_id);
        CREATE INDEX esm_prompts_due ON read.esm_prompts (scheduled_at)
            WHERE status = 'scheduled';
        CREATE INDEX esm_prompts_open ON read.esm_prompts (deadline)
            WHERE status IN ('sending', 'sent');

        CREATE TABLE read.esm_responses (
            prompt_id uuid PRIMARY KEY,
            campaign_id uuid NOT NULL,
            participant_id uuid NOT NULL,
            questionnaire_version int NOT NULL,
            answered_at timestamptz NOT NULL,
            latency_seconds double precision NOT NULL,
            answers jsonb NOT NULL
        );
        CREATE INDEX esm_responses_campaign ON read.esm_responses (campaign_id, answered_at);
        """
    )


def downgrade() -> None:
    op.execute(
        "DROP TABLE IF EXISTS read.esm_responses, read.esm_prompts, read.esm_participants,"
        " read.esm_campaigns"
    )
