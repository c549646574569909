"""MyVOD read models and internal state.

Revision ID: myvod_0001
"""

from alembic import op

revision = "myvod_0001"
down_revision = None
branch_labels = ("myvod",)
depends_on = "0001_foundation"


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE read.myvod_watchlists (
            watchlist_id uuid PRIMARY KEY,
            account_id uuid NOT NULL,
            region text,
            services text[] NOT NULL DEFAULT '{}',
            started_at timestamptz NOT NULL
        );
        CREATE TABLE read.myvod_titles (
            title_id uuid PRIMARY KEY,
            tmdb_id integer NOT NULL UNIQUE,
            title text,
            year integer,
            status text NOT NULL,
            poster_path text,
            poster_url text,
            overview text,
            genres text[] NOT NULL DEFAULT '{}',
            runtime integer,
            watchmode_id bigint,
            registered_at timestamptz NOT NULL,
            checked_at timestamptz
        );
        CREATE INDEX myvod_titles_checked ON read.myvod_titles (checked_at NULLS FIRST);
        CREATE TABLE read.myvod_items (
            watchlist_id uuid NOT NULL,
            tmdb_id integer NOT NULL,
            title_id uuid NOT NULL,
            status text NOT NULL,
            rating smallint,
            source text NOT NULL,
            added_at timestamptz NOT NULL,
            watched_at timestamptz,
            PRIMARY KEY (watchlist_id, tmdb_id)
        );
        CREATE INDEX myvod_items_title ON read.myvod_items (title_id);
        CREATE INDEX myvod_items_tmdb ON read.myvod_items (tmdb_id);
        CREATE TABLE read.myvod_offers (
            title_id uuid NOT NULL,
            region text NOT NULL,
            service text NOT NULL,
            type text NOT NULL,
            url text,
            since timestamptz NOT NULL,
            PRIMARY KEY (title_id, region, service, type)
        );
        CREATE TABLE read.myvod_suggestions (
            watchlist_id uuid PRIMARY KEY,
            request_id text NOT NULL,
            status text NOT NULL,
            items jsonb NOT NULL,
            source text,
            note text,
            requested_at timestamptz NOT NULL,
            answered_at timestamptz
        );
        CREATE TABLE read.myvod_alerts (
            watchlist_id uuid NOT NULL,
            change_key text NOT NULL,
            tmdb_id integer NOT NULL,
            offers jsonb NOT NULL,
            raised_at timestamptz NOT NULL,
            PRIMARY KEY (watchlist_id, change_key)
        );
        CREATE TABLE app.myvod_notes (
            watchlist_id uuid NOT NULL,
            tmdb_id integer NOT NULL,
            note text,
            PRIMARY KEY (watchlist_id, tmdb_id)
        );
        CREATE TABLE app.myvod_search_cache (
            query text PRIMARY KEY,
            results jsonb NOT NULL,
            fetched_at timestamptz NOT NULL DEFAULT now()
        );
        """
    )


def downgrade() -> None:
    op.execute(
        """
        DROP TABLE IF EXISTS app.myvod_search_cache;
        DROP TABLE IF EXISTS app.myvod_notes;
        DROP TABLE IF EXISTS read.myvod_alerts;
        DROP TABLE IF EXISTS read.myvod_suggestions;
        DROP TABLE IF EXISTS read.myvod_offers;
        DROP TABLE IF EXISTS read.myvod_items;
        DROP TABLE IF EXISTS read.myvod_titles;
        DROP TABLE IF EXISTS read.myvod_watchlists;
        """
    )
