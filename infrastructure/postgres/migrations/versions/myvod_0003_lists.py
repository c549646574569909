"""MyVOD: several lists per person (ranked, tagged), household members, share links (only
the secret's hash, in app.*).

Revision ID: myvod_0003
"""

from alembic import op

revision = "myvod_0003"
down_revision = "myvod_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE read.myvod_lists (
            list_id uuid PRIMARY KEY,
            owner_id uuid NOT NULL,
            name text NOT NULL,
            created_at timestamptz NOT NULL
        );
        CREATE INDEX myvod_lists_owner ON read.myvod_lists (owner_id);
        CREATE TABLE read.myvod_list_items (
            list_id uuid NOT NULL,
            tmdb_id integer NOT NULL,
            title_id uuid NOT NULL,
            rank integer NOT NULL,
            tags text[] NOT NULL DEFAULT '{}'::text[],
            added_at timestamptz NOT NULL,
            PRIMARY KEY (list_id, tmdb_id)
        );
        CREATE TABLE read.myvod_list_members (
            list_id uuid NOT NULL,
            account_id uuid NOT NULL,
            PRIMARY KEY (list_id, account_id)
        );
        CREATE INDEX myvod_list_members_account ON read.myvod_list_members (account_id);
        CREATE TABLE app.myvod_list_shares (
            secret_hash text PRIMARY KEY,
            list_id uuid NOT NULL UNIQUE,
            shared_at timestamptz NOT NULL
        );
        """
    )


def downgrade() -> None:
    op.execute(
        "DROP TABLE IF EXISTS app.myvod_list_shares, read.myvod_list_members,"
        " read.myvod_list_items, read.myvod_lists"
    )
