"""Operations: key event correlations by (originator id, version), known before the save, so
the row exists before the relay can see the event.

Revision ID: ops_0002_corr_by_originator
"""

from alembic import op

revision = "ops_0002_corr_by_originator"
down_revision = "ops_0001_event_correlations"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        DROP TABLE app.event_correlations;
        CREATE TABLE app.event_correlations (
            application text NOT NULL,
            originator_id uuid NOT NULL,
            originator_version integer NOT NULL,
            correlation_id text NOT NULL,
            recorded_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (application, originator_id, originator_version)
        );
        CREATE INDEX event_correlations_recorded_at ON app.event_correlations (recorded_at);
        CREATE INDEX event_correlations_correlation_id ON app.event_correlations (correlation_id);
        """
    )


def downgrade() -> None:
    op.execute(
        """
        DROP TABLE app.event_correlations;
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
