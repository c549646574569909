"""Deterministic ids: one Title per TMDB id, one Watchlist per account."""

from __future__ import annotations

from uuid import UUID, uuid5

NAMESPACE = UUID("6f1f4c52-0c7e-4a53-9f7e-2f0d7b1c9a10")


def title_id_for(tmdb_id: int) -> UUID:
    return uuid5(NAMESPACE, f"tmdb-movie:{tmdb_id}")


def watchlist_id_for(account_id: UUID) -> UUID:
    return uuid5(NAMESPACE, f"watchlist:{account_id}")
