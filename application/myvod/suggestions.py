"""Suggestions: ask the suggester (Gemini or offline), resolve to TMDB ids, record once.
Feedback on picks (liked, seen, not interested) is recorded on the watchlist and goes into
the next request's taste profile; picks never repeat a title on one of the person's lists or
a pick they already gave a verdict on."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from application.myvod import list_queries
from application.myvod.base import MyVODBase, NotConnected
from application.myvod.ports import (
    Suggestions,
    TasteProfile,
    UpstreamRefused,
    UpstreamUnavailable,
)
from domain.myvod.watchlist import Watchlist, feedback_key

SPARE_PICKS = 5
"""Asked for beyond `count`, so picks dropped as repeats still leave `count`."""


class SuggestionUseCases(MyVODBase):
    def make_suggestions(self, watchlist_id: UUID, request_id: str, count: int = 5) -> str:
        watchlist: Watchlist = self.repository.get(watchlist_id)
        if watchlist.suggestions.get(request_id) != "pending":
            return "already answered"
        profile = self.taste_profile(watchlist_id, watchlist.account_id)
        answer = self._suggest(profile, count + SPARE_PICKS)
        on_list = set(watchlist.tmdb_ids()) | {
            t["tmdb_id"] for t in list_queries.titles_on_lists(self._read(), watchlist.account_id)
        }
        judged = set(getattr(watchlist, "feedback", {}))
        avoid = {" ".join(t.lower().split()) for t in profile.avoid}
        items: list[dict[str, Any]] = []
        for suggestion in answer.items:
            if len(items) == count:
                break
            if " ".join(suggestion.title.lower().split()) in avoid:
                continue
            hits = self._catalogue().search(suggestion.title, suggestion.year)
            exact = [h for h in hits if h.title.lower() == suggestion.title.lower()]
            hit = exact[0] if exact else None
            if hit is not None and (hit.tmdb_id in on_list or f"tmdb:{hit.tmdb_id}" in judged):
                continue
            if hit is None and feedback_key(None, suggestion.title, suggestion.year) in judged:
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

    def taste_profile(self, watchlist_id: UUID, account_id: UUID | None = None) -> TasteProfile:
        read = self._read()
        rows = read.fetch_all(
            "SELECT t.title, t.year, t.genres, i.status, i.rating FROM read.myvod_items i"
            " JOIN read.myvod_titles t ON t.tmdb_id = i.tmdb_id"
            " WHERE i.watchlist_id = %s AND t.title IS NOT NULL ORDER BY i.added_at",
            (watchlist_id,),
        )
        feedback = read.fetch_all(
            "SELECT f.title, f.year, f.verdict, COALESCE(t.genres, '{}') AS genres"
            " FROM read.myvod_suggestion_feedback f"
            " LEFT JOIN read.myvod_titles t ON t.tmdb_id = f.tmdb_id"
            " WHERE f.watchlist_id = %s ORDER BY f.given_at, f.key",
            (watchlist_id,),
        )
        listed = list_queries.titles_on_lists(read, account_id) if account_id else []
        avoid = [r["title"] for r in rows] + [t["title"] for t in listed if t["title"]]
        avoid += [f["title"] for f in feedback]
        return TasteProfile(
            titles=[dict(r) for r in rows],
            feedback=[{**f, "genres": list(f["genres"] or [])} for f in feedback],
            avoid=list(dict.fromkeys(avoid)),
        )

    def give_feedback(
        self,
        account_id: UUID,
        title: str,
        verdict: str,
        tmdb_id: int | None = None,
        year: int | None = None,
    ) -> tuple[bool, int]:
        """What the person thinks of a pick (liked, seen, not_interested); the next request
        uses it. Returns (recorded, position); the same verdict twice records nothing."""

        def attempt() -> tuple[bool, int]:
            watchlist = self._watchlist(account_id)
            if not watchlist.give_feedback(title, year, tmdb_id, verdict, self.clock()):
                return False, 0
            return True, self.save_and_position(watchlist)

        return self._retrying(attempt)

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
