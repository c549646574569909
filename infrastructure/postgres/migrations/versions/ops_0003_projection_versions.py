"""Operations: the version of each projection's code that wrote its tables, so a release that
changes what a projection derives from past events rebuilds it by itself.

Revision ID: ops_0003_projection_versions
"""

from alembic import op

revision = "ops_0003_projection_versions"
down_revision = "ops_0002_corr_by_originator"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE app.projection_versions (
            projection text PRIMARY KEY,
            version integer NOT NULL,
            recorded_at timestamptz NOT NULL DEFAULT now()
        );
        -- Tables written before versions were recorded were written by version 1.
        INSERT INTO app.projection_versions (projection, version)
            SELECT DISTINCT projection, 1 FROM app.projection_positions;
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS app.projection_versions")
