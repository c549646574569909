"""Builds MyVOD's adapters from settings (called by the composition root only)."""

from __future__ import annotations

from typing import Any

from infrastructure.adapters.gemini import GeminiSuggester, OfflineSuggester
from infrastructure.adapters.tmdb import TmdbCatalogue
from infrastructure.adapters.watchmode import WatchmodeAvailability
from infrastructure.settings import Settings


def myvod_ports(settings: Settings) -> dict[str, Any]:
    suggester = None
    if settings.gemini_api_key:
        suggester = GeminiSuggester(
            settings.gemini_api_key, settings.gemini_model, settings.gemini_base_url
        )
    return {
        "catalogue": TmdbCatalogue(
            settings.tmdb_base_url,
            settings.tmdb_api_key or "",
            per_second=settings.tmdb_requests_per_second,
        ),
        "availability": WatchmodeAvailability(
            settings.watchmode_base_url,
            settings.watchmode_api_key or "",
            per_minute=settings.watchmode_requests_per_minute,
        ),
        "suggester": suggester,
        "offline_suggester": OfflineSuggester(),
    }
