"""Audit: hash chain over each notification log, campaign stream index, analyst role.

Revision ID: audit_0001
"""

from alembic import op

revision = "audit_0001"
down_revision = None
branch_labels = ("audit",)
depends_on = "0001_foundation"

ANALYST_ROLE = "kairos_analyst"


def upgrade() -> None:
    op.execute("CREATE SCHEMA IF NOT EXISTS audit")
    op.execute(
        """
        CREATE TABLE audit.chain_links (
            application text NOT NULL,
            notification_id bigint NOT NULL,
            originator_id uuid NOT NULL,
            originator_version bigint NOT NULL,
            topic text NOT NULL,
            event_hash bytea NOT NULL,
            link_hash bytea NOT NULL,
            PRIMARY KEY (application, notification_id)
        );
        CREATE TABLE audit.chain_heads (
            application text PRIMARY KEY,
            notification_id bigint NOT NULL,
            event_count bigint NOT NULL,
            link_hash bytea NOT NULL
        );
        CREATE TABLE audit.chain_anchors (
            application text NOT NULL,
            notification_id bigint NOT NULL,
            event_count bigint NOT NULL,
            link_hash bytea NOT NULL,
            anchored_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (application, notification_id)
        );
        CREATE TABLE audit.campaign_streams (
            campaign_id uuid NOT NULL,
            aggregate_id uuid NOT NULL,
            aggregate_type text NOT NULL,
            first_notification_id bigint NOT NULL,
            PRIMARY KEY (campaign_id, aggregate_id)
        );
        """
    )
    # Anchors are append-only: a rebuild re-derives links and heads, never rewrites anchors.
    op.execute(
        """
        CREATE FUNCTION audit.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'audit.chain_anchors is append-only';
        END $$;
        CREATE TRIGGER chain_anchors_append_only BEFORE UPDATE OR DELETE
            ON audit.chain_anchors FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();
        """
    )
    # Roles are cluster-wide: several databases on one server share this one, and their
    # migrations may run at the same moment, so creation tolerates a concurrent creator.
    op.execute(
        f"""
        DO $$
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{ANALYST_ROLE}') THEN
                CREATE ROLE {ANALYST_ROLE} NOLOGIN;
            END IF;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END $$;
        """
    )
    op.execute(
        f"""
        GRANT USAGE ON SCHEMA read TO {ANALYST_ROLE};
        GRANT SELECT ON ALL TABLES IN SCHEMA read TO {ANALYST_ROLE};
        ALTER DEFAULT PRIVILEGES IN SCHEMA read GRANT SELECT ON TABLES TO {ANALYST_ROLE};
        """
    )


def downgrade() -> None:
    op.execute(
        f"""
        ALTER DEFAULT PRIVILEGES IN SCHEMA read REVOKE SELECT ON TABLES FROM {ANALYST_ROLE};
        REVOKE SELECT ON ALL TABLES IN SCHEMA read FROM {ANALYST_ROLE};
        REVOKE USAGE ON SCHEMA read FROM {ANALYST_ROLE};
        """
    )
    op.execute("DROP SCHEMA IF EXISTS audit CASCADE")
