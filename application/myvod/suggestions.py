"""Suggestions: ask the suggester (Gemini or offline), resolve to TMDB ids, record once."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from application.myvod.base import MyVODBase, NotConnected
from application.myvod.ports import (
    Suggestions,
    TasteProfile,
    UpstreamRefused,
    UpstreamUnavailable,
)
from domain.myvod.watchlist import Watchlist


class SuggestionUseCases(MyVODBase):
    def make_suggestions(self, watchlist_id: UUID, request_id: str, count: int = 5) -> str:
        watchlist: Watchlist = self.repository.get(watchlist_id)
        if watchlist.suggestions.get(request_id) != "pending":
            return "already answered"
        profile = self.taste_profile(watchlist_id)
        answer = self._suggest(profile, count)
        on_list = set(watchlist.tmdb_ids())
        items: list[dict[str, Any]] = []
        for suggestion in answer.items:
            hits = self._catalogue().search(suggestion.title, suggestion.year)
            exact = [h for h in hits if h.title.lower() == suggestion.title.lower()]
            hit = exact[0] if exact else None
            if hit is not None and hit.tmdb_id in on_list:
                continue
            items.append(
                {
                    "tmdb_id": hit.tmdb_id if hit else None,
                    "title": hit.title if hit else suggestion.title,
                    "year": hit.year if hit else suggestion.year,
                    "poster_path": hit.poster_path if hit else None,
                    "reason": suggestion.reason,
                }
            )

        def attempt() -> str:
            fresh: Watchlist = self.repository.get(watchlist_id)
            if not fresh.record_suggestions(request_id, items, answer.source, answer.note):
                return "already answered"
            self.save(fresh)
            return answer.source

        return self._retrying(attempt)

    def taste_profile(self, watchlist_id: UUID) -> TasteProfile:
        rows = self._read().fetch_all(
            "SELECT t.title, t.year, t.genres, i.status, i.rating FROM read.myvod_items i"
            " JOIN read.myvod_titles t ON t.tmdb_id = i.tmdb_id"
            " WHERE i.watchlist_id = %s AND t.title IS NOT NULL ORDER BY i.added_at",
            (watchlist_id,),
        )
        return TasteProfile(titles=[dict(r) for r in rows])

    def _suggest(self, profile: TasteProfile, count: int) -> Suggestions:
        if self.suggester is not None:
            try:
                return self.suggester.suggest(profile, count)
            except (UpstreamRefused, UpstreamUnavailable) as error:
                if self.offline_suggester is None:
                    raise
                what = "refused the request" if isinstance(error, UpstreamRefused) else "failed"
                offline = self.offline_suggester.suggest(profile, count)
                return Suggestions(
                    offline.items, "offline", f"Gemini {what} ({error}); offline suggestions."
                )
        if self.offline_suggester is None:
            raise NotConnected("no suggester")
        return self.offline_suggester.suggest(profile, count)
