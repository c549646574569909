"""Operations: which correlation id (request or task) caused each event.

Revision ID: ops_0001_event_correlations
"""

from alembic import op

revision = "ops_0001_event_correlations"
down_revision = None
branch_labels = ("ops",)
depends_on = "0001_foundation"


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE app.event_correlations (
            application text NOT NULL,
            notification_id bigint NOT NULL,
            correlation_id text NOT NULL,
            recorded_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (application, notification_id)
        );
        CREATE INDEX event_correlations_recorded_at ON app.event_correlations (recorded_at);
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE app.event_correlations")
