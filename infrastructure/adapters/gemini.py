"""Suggestions: Gemini through the official google-genai client, and an offline suggester
that answers in the same shape from the bundled catalogue's genres when no key is set."""

from __future__ import annotations

import json
import logging
import re
import time
from collections import Counter
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from application.myvod.ports import (
    Suggestion,
    Suggestions,
    TasteProfile,
    UpstreamRefused,
    UpstreamUnavailable,
)
from infrastructure.observability import SharedCounters

CATALOGUE = Path(__file__).resolve().parents[2] / "stand_ins" / "data" / "catalogue.json"
SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "title": {"type": "string"},
            "year": {"type": "integer"},
            "reason": {"type": "string", "description": "one line: why this user"},
        },
        "required": ["title", "reason"],
    },
}
SYSTEM = (
    "You recommend films. Answer with a JSON array only: objects {title, year, reason}, "
    "where reason is one short line addressed to the user explaining the pick from their list."
)
log = logging.getLogger("kairos.suggestions")
TRANSPORT_ATTEMPTS = 3
TOKENS_PER_ITEM = 120
"""The answer's budget per suggestion (a title, a year and a one-line reason are ~40)."""
STOPPED = frozenset({"SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "OTHER"})
"""Finish reasons that mean Gemini stopped the answer on purpose."""


def _transport_errors() -> tuple[type[BaseException], ...]:
    found: list[type[BaseException]] = [httpx.TransportError, TimeoutError, ConnectionError]
    try:
        import httpx2  # google-genai 3.x prefers it when installed

        found.append(httpx2.TransportError)
    except ImportError:
        pass
    return tuple(found)


TRANSPORT_ERRORS = _transport_errors()
OFFLINE_NOTE = "Gemini is not configured: offline suggestions from the local catalogue's genres."


VERDICT_WORDS = {
    "liked": "liked the suggestion",
    "seen": "has already seen it",
    "not_interested": "is not interested",
}


def prompt_for(profile: TasteProfile, count: int) -> str:
    lines = []
    for t in profile.titles:
        rating = f", rated {t['rating']}/10" if t.get("rating") else ""
        genres = ", ".join(t.get("genres") or [])
        status = "watched" if t.get("status") == "watched" else "wants to watch"
        lines.append(f"- {t['title']} ({t.get('year') or '?'}; {genres}) {status}{rating}")
    listing = "\n".join(lines) or "- (the list is empty)"
    text = f"Suggest {count} films this user has not listed.\nTheir watchlist:\n{listing}\n"
    if profile.feedback:
        said = "\n".join(
            f"- {f['title']} ({f.get('year') or '?'}): {VERDICT_WORDS.get(f['verdict'], '?')}"
            for f in profile.feedback
        )
        text += (
            f"What they said of earlier suggestions:\n{said}\n"
            "Suggest more like the liked ones and less like the ones they are not "
            "interested in.\n"
        )
    others = [t for t in profile.avoid if t not in {x["title"] for x in profile.titles}]
    if others:
        text += "Never suggest these either: " + "; ".join(others) + ".\n"
    return text + "Prefer the genres they rate highly."


if TYPE_CHECKING:
    from google.genai import errors as genai_errors


def _retry_delay(error: genai_errors.APIError) -> float | None:
    for detail in (error.details or {}).get("error", {}).get("details", []) or []:
        match = re.match(r"^(\d+(?:\.\d+)?)s$", str(detail.get("retryDelay", "")))
        if match:
            return float(match.group(1))
    return None


class GeminiSuggester:
    def __init__(
        self,
        api_key: str,
        model: str,
        base_url: str | None = None,
        timeout_ms: int = 20000,
        counters: SharedCounters | None = None,
    ) -> None:
        self.counters = counters or SharedCounters()
        self.model = model
        self.api_key = api_key
        self.base_url = base_url
        self.timeout_ms = timeout_ms
        self._client: Any = None

    @property
    def client(self) -> Any:
        # google-genai takes ~2 s to import; only processes that suggest pay for it.
        if self._client is None:
            from google import genai
            from google.genai import types

            options = types.HttpOptions(
                base_url=self.base_url, api_version="v1beta", timeout=self.timeout_ms
            )
            self._client = genai.Client(api_key=self.api_key, http_options=options)
        return self._client

    def suggest(self, profile: TasteProfile, count: int) -> Suggestions:
        """Transport failures (google-genai 3.x raises httpx2's, not httpx's) are retried
        TRANSPORT_ATTEMPTS times, then UpstreamUnavailable; a model Google no longer serves
        (404) is logged, counted and UpstreamRefused; the caller falls back offline."""
        from google.genai import errors as genai_errors

        for attempt in range(1, TRANSPORT_ATTEMPTS + 1):
            try:
                response = self._generate(profile, count)
                break
            except genai_errors.APIError as error:
                self.counters.incr("suggester_errors", vendor="gemini", status=str(error.code))
                if error.code == 429 or (error.code or 0) >= 500:
                    raise UpstreamUnavailable(
                        f"Gemini answered {error.code}", _retry_delay(error)
                    ) from error
                if error.code == 404:
                    log.error("Gemini has no model %r (404): set GEMINI_MODEL", self.model)
                    raise UpstreamRefused(
                        f"Gemini does not serve the model {self.model!r} (404)"
                    ) from error
                raise UpstreamRefused(f"Gemini answered {error.code}: {error.message}") from error
            except TRANSPORT_ERRORS as error:
                self.counters.incr("suggester_errors", vendor="gemini", status="transport")
                log.warning(
                    "Gemini unreachable (%s), attempt %d of %d",
                    type(error).__name__,
                    attempt,
                    TRANSPORT_ATTEMPTS,
                )
                if attempt == TRANSPORT_ATTEMPTS:
                    raise UpstreamUnavailable(
                        f"Gemini unreachable or timed out ({type(error).__name__})"
                    ) from error
                time.sleep(0.5 * attempt)
        return self._parse(response, count)

    def _generate(self, profile: TasteProfile, count: int) -> Any:
        from google.genai import types

        return self.client.models.generate_content(
            model=self.model,
            contents=prompt_for(profile, count),
            config=types.GenerateContentConfig(
                system_instruction=SYSTEM,
                response_mime_type="application/json",
                response_json_schema={**SCHEMA, "minItems": count, "maxItems": count},
                max_output_tokens=TOKENS_PER_ITEM * count + 64,
                temperature=0.6,
            ),
        )

    def _refusal(self, response: Any) -> str | None:
        """Why there is no usable answer (a blocked prompt, a cut or stopped answer)."""
        feedback = response.prompt_feedback
        if feedback is not None and feedback.block_reason is not None:
            reason = _name(feedback.block_reason)
            self.counters.incr("suggester_errors", vendor="gemini", status="blocked")
            return f"Gemini blocked the prompt ({reason})"
        candidates = response.candidates or []
        if not candidates:
            self.counters.incr("suggester_errors", vendor="gemini", status="empty")
            return "Gemini answered without a candidate"
        finish = _name(candidates[0].finish_reason)
        if finish == "MAX_TOKENS":
            self.counters.incr("suggester_errors", vendor="gemini", status="max_tokens")
            return "Gemini's answer was cut at its token limit (MAX_TOKENS)"
        if finish in STOPPED:
            self.counters.incr("suggester_errors", vendor="gemini", status=finish.lower())
            return f"Gemini stopped its answer ({finish})"
        return None

    def _parse(self, response: Any, count: int) -> Suggestions:
        refusal = self._refusal(response)
        if refusal:
            log.warning("%s: offline suggestions instead", refusal)
            raise UpstreamRefused(refusal)
        try:
            raw = json.loads(response.text or "[]")
        except ValueError as error:
            raise UpstreamRefused("Gemini's answer was not JSON") from error
        items = [
            Suggestion(
                title=str(r["title"])[:200],
                year=r.get("year") if isinstance(r.get("year"), int) else None,
                reason=str(r.get("reason") or "")[:300],
            )
            for r in (raw if isinstance(raw, list) else [])
            if isinstance(r, dict) and r.get("title")
        ]
        return Suggestions(items[:count], "gemini")


def _name(value: Any) -> str:
    """An enum member's name (google-genai gives enums, or strings for values it does not
    know yet)."""
    return str(getattr(value, "name", value) or "")


@cache
def _catalogue() -> tuple[dict[str, Any], ...]:
    data = json.loads(CATALOGUE.read_text())
    names = {g["id"]: g["name"] for g in data["genres"]}
    return tuple(
        {
            "title": m["title"],
            "year": int(m["release_date"][:4]),
            "genres": [names[g] for g in m["genre_ids"]],
            "vote": m["vote_average"],
        }
        for m in data["movies"]
    )


FEEDBACK_WEIGHTS = {"liked": 4, "seen": 1, "not_interested": -4}
"""How a verdict on a pick moves the offline suggester's genre weights (a rating of 9 is +4)."""


class OfflineSuggester:
    """Scores catalogue films by the genres of the user's list (ratings weigh in)."""

    def suggest(self, profile: TasteProfile, count: int) -> Suggestions:
        weights: Counter[str] = Counter()
        example: dict[str, str] = {}
        for t in profile.titles:
            weight = (t["rating"] - 5) if t.get("rating") else 2
            for genre in t.get("genres") or []:
                weights[genre] += weight
                example.setdefault(genre, t["title"])
        by_title = {m["title"].lower(): m for m in _catalogue()}
        for f in profile.feedback:
            weight = FEEDBACK_WEIGHTS.get(f["verdict"], 0)
            known = by_title.get(str(f["title"]).lower())
            for genre in f.get("genres") or (known["genres"] if known else []):
                weights[genre] += weight
                if weight > 0:
                    example.setdefault(genre, f["title"])
        on_list = {str(t["title"]).lower() for t in profile.titles}
        listed = on_list | {str(t).lower() for t in profile.avoid}
        ranked = sorted(
            (m for m in _catalogue() if m["title"].lower() not in listed),
            key=lambda m: (-sum(weights[g] for g in m["genres"]), -m["vote"], m["title"]),
        )
        items = []
        for movie in ranked[:count]:
            liked = [g for g in movie["genres"] if weights[g] > 0]
            if liked:
                like = example[liked[0]]
                where = "on your list" if like.lower() in on_list else "which you liked"
                reason = f"Offline pick: {liked[0].lower()} like {like} {where}."
            else:
                reason = f"Offline pick: a well-rated {movie['genres'][0].lower()} film."
            items.append(Suggestion(movie["title"], movie["year"], reason))
        return Suggestions(items, "offline", OFFLINE_NOTE)
