"""Builds MyVOD's adapters from settings (called by the composition root only)."""

from __future__ import annotations

from typing import Any

from infrastructure.adapters.gemini import GeminiSuggester, OfflineSuggester
from infrastructure.adapters.myvod_http import Pacer, SharedPacer
from infrastructure.adapters.tmdb import TmdbCatalogue
from infrastructure.adapters.watchmode import WatchmodeAvailability
from infrastructure.observability import SharedCounters
from infrastructure.settings import Settings


def pacer(redis: Any, vendor: str, per_second: float) -> Pacer:
    """Shared by every process on the same Redis (and base URL), else per process."""
    if redis is not None:
        return SharedPacer(redis, vendor, per_second)
    return Pacer(per_second)


def myvod_ports(
    settings: Settings, redis: Any, counters: SharedCounters | None = None
) -> dict[str, Any]:
    """`redis`: a client with short timeouts for the shared pacers, or None."""
    suggester = None
    if settings.gemini_api_key:
        suggester = GeminiSuggester(
            settings.gemini_api_key,
            settings.gemini_model,
            settings.gemini_base_url,
            counters=counters,
        )
    return {
        "catalogue": TmdbCatalogue(
            settings.tmdb_base_url,
            settings.tmdb_api_key or "",
            pacer=pacer(redis, f"tmdb:{settings.tmdb_base_url}", settings.tmdb_requests_per_second),
        ),
        "availability": WatchmodeAvailability(
            settings.watchmode_base_url,
            settings.watchmode_api_key or "",
            pacer=pacer(
                redis,
                f"watchmode:{settings.watchmode_base_url}",
                settings.watchmode_requests_per_minute / 60.0,
            ),
        ),
        "suggester": suggester,
        "offline_suggester": OfflineSuggester(),
    }
