"""Local fake of the Gemini API (a real HTTP server speaking the vendor's contract).

`POST /v1beta/models/{model}:generateContent` with `x-goog-api-key` (or `?key=`), checked
against the fakes' keys (400 API_KEY_INVALID otherwise) and limited per minute (429
RESOURCE_EXHAUSTED with a RetryInfo delay; stand_ins/access.py); unknown query parameters are
ignored and enums may be strings or integers. The answer follows the request's structured
output: a JSON array of as many items as `responseJsonSchema`'s (or `responseSchema`'s)
minItems/maxItems ask, each with the properties its item schema declares (title, year and
reason are filled from the bundled catalogue by the genres of the titles the prompt
mentions), as text in candidates[0].content.parts[0].text; an answer longer than
`maxOutputTokens` is cut and finishes with MAX_TOKENS. `POST /_control/gemini/outcome`
`{"outcome": "blocked"|"max_tokens"|"safety", "times": n}` makes the next answers a blocked
prompt (promptFeedback.blockReason, no candidates), a MAX_TOKENS cut or a SAFETY stop. Errors
use Google's body {"error": {code, message, status, details}}.
"""

from __future__ import annotations

import json
import math
import threading
from collections import Counter
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from stand_ins.access import ACCESS
from stand_ins.catalogue_state import STATE, bundled, injected

router = APIRouter()
RETIRED_MODELS = frozenset(
    {
        "gemini-1.0-pro",
        "gemini-1.5-flash",
        "gemini-1.5-flash-002",
        "gemini-1.5-flash-8b",
        "gemini-1.5-pro",
        "gemini-1.5-pro-002",
        "gemini-2.0-flash",
        "gemini-2.0-flash-001",
        "gemini-2.0-flash-lite",
    }
)
"""Models Google has shut down (docs/deprecations, as of 2026-11): they answer 404."""
DEFAULT_COUNT = 5
"""How many items the fake picks when the schema does not say."""

STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}
SAFETY_RATINGS = [
    {"category": "HARM_CATEGORY_HARASSMENT", "probability": "NEGLIGIBLE"},
    {"category": "HARM_CATEGORY_DANGEROUS_CONTENT", "probability": "HIGH", "blocked": True},
]


def google_error(code: int, message: str, details: list[dict[str, Any]] | None = None):  # type: ignore[no-untyped-def]
    body = {"code": code, "message": message, "status": STATUS_NAMES.get(code, "UNKNOWN")}
    if details:
        body["details"] = details
    return JSONResponse({"error": body}, status_code=code)


def retry_info(seconds: float) -> list[dict[str, Any]]:
    return [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": f"{seconds}s"}]


def prompt_text(body: dict[str, Any]) -> str:
    texts = []
    contents = body.get("contents")
    for content in contents if isinstance(contents, list) else []:
        parts = content.get("parts") if isinstance(content, dict) else None
        for part in parts if isinstance(parts, list) else []:
            if isinstance(part, dict) and isinstance(part.get("text"), str):
                texts.append(part["text"])
    return "\n".join(texts)


def malformed(body: Any) -> str | None:
    """What Google would refuse with 400 INVALID_ARGUMENT in the parts the fake reads."""
    if not isinstance(body, dict) or not prompt_text(body):
        return "* GenerateContentRequest.contents: contents is not specified"
    config = body.get("generationConfig", {})
    if not isinstance(config, dict):
        return "Invalid value at 'generation_config' (type.googleapis.com/GenerationConfig)"
    for name in ("responseJsonSchema", "responseSchema"):
        if name in config and not isinstance(config[name], dict):
            return f"Invalid value at 'generation_config.{name}'"
    tokens = config.get("maxOutputTokens")
    if tokens is not None and (not isinstance(tokens, int) or isinstance(tokens, bool)):
        return "Invalid value at 'generation_config.max_output_tokens' (TYPE_INT32)"
    return None


def _count(schema: dict[str, Any]) -> int:
    """How many items an array schema asks for (OpenAPI-subset schemas send int64 as
    strings)."""
    wanted = schema.get("maxItems", schema.get("minItems"))
    try:
        return max(0, min(int(wanted), 50)) if wanted is not None else DEFAULT_COUNT
    except (TypeError, ValueError):
        return DEFAULT_COUNT


def _placeholder(schema: dict[str, Any]) -> Any:
    kind = str(schema.get("type", "string")).lower()
    return {"integer": 0, "number": 0.0, "boolean": False, "array": [], "object": {}}.get(kind, "")


def suggest(prompt: str, item_schema: dict[str, Any], count: int) -> list[dict[str, Any]]:
    lowered = prompt.lower()
    mentioned = [m for m in STATE.movies.values() if m["title"].lower() in lowered]
    genres = Counter(g for m in mentioned for g in m["genre_ids"])
    names = {g["id"]: g["name"] for g in bundled()["genres"]}
    seen = {m["id"] for m in mentioned}
    ranked = sorted(
        (m for m in STATE.movies.values() if m["id"] not in seen),
        key=lambda m: (-sum(genres[g] for g in m["genre_ids"]), -m["vote_average"], m["id"]),
    )
    properties: dict[str, Any] = item_schema.get("properties") or {
        "title": {},
        "year": {},
        "reason": {},
    }
    result = []
    for movie in ranked[:count]:
        shared = [names[g] for g in movie["genre_ids"] if genres[g]] or [
            names[movie["genre_ids"][0]]
        ]
        known = {
            "title": movie["title"],
            "year": int(movie["release_date"][:4]),
            "reason": f"You rate {' and '.join(shared[:2]).lower()} highly; this one is "
            f"a well-liked {shared[0].lower()} pick.",
        }
        result.append(
            {name: known.get(name, _placeholder(spec)) for name, spec in properties.items()}
        )
    return result


def _answer_text(body: dict[str, Any]) -> str:
    config = body.get("generationConfig") or {}
    schema = config.get("responseJsonSchema") or config.get("responseSchema") or {}
    items: dict[str, Any] = schema["items"] if isinstance(schema.get("items"), dict) else {}
    if not isinstance(items.get("properties", {}), dict):
        items = {}
    picks = suggest(prompt_text(body), items or {}, _count(schema))
    if config.get("responseMimeType") == "application/json":
        return json.dumps(picks)
    return "\n".join(f"- {p.get('title')} ({p.get('year')}): {p.get('reason')}" for p in picks)


def _tokens(text: str) -> int:
    """Gemini's rule of thumb: about four characters per token."""
    return math.ceil(len(text) / 4)


class Outcomes:
    """Answers a test asked for: the next `times` calls are blocked, cut or stopped."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pending: list[str] = []

    def take(self) -> str | None:
        with self.lock:
            return self.pending.pop(0) if self.pending else None


OUTCOMES = Outcomes()


class OutcomeRequest(BaseModel):
    outcome: str = Field(pattern="^(blocked|max_tokens|safety)$")
    times: int = Field(1, ge=0, le=100)


@router.post("/_control/gemini/outcome", include_in_schema=False)
def plan_outcome(request: OutcomeRequest) -> dict[str, Any]:
    with OUTCOMES.lock:
        OUTCOMES.pending = [request.outcome] * request.times
    return {"ok": True, "pending": request.times}


def _response(model: str, body: dict[str, Any], outcome: str | None) -> dict[str, Any]:
    prompt_tokens = _tokens(prompt_text(body))
    answer: dict[str, Any] = {
        "modelVersion": model.removeprefix("models/"),
        "responseId": f"fake-{STATE.calls.get('gemini', 0)}",
    }
    if outcome == "blocked":
        answer["promptFeedback"] = {"blockReason": "SAFETY", "safetyRatings": SAFETY_RATINGS}
        answer["usageMetadata"] = {
            "promptTokenCount": prompt_tokens,
            "totalTokenCount": prompt_tokens,
        }
        return answer
    if outcome == "safety":
        candidate: dict[str, Any] = {
            "finishReason": "SAFETY",
            "index": 0,
            "safetyRatings": SAFETY_RATINGS,
        }
        answer["candidates"] = [candidate]
        answer["usageMetadata"] = {
            "promptTokenCount": prompt_tokens,
            "totalTokenCount": prompt_tokens,
        }
        return answer
    text = _answer_text(body)
    finish = "STOP"
    limit = (body.get("generationConfig") or {}).get("maxOutputTokens")
    if outcome == "max_tokens":
        limit = max(1, _tokens(text) // 2)
    if isinstance(limit, int) and _tokens(text) > limit:
        text, finish = text[: limit * 4], "MAX_TOKENS"
    answer["candidates"] = [
        {
            "content": {"role": "model", "parts": [{"text": text}]},
            "finishReason": finish,
            "index": 0,
        }
    ]
    answer["usageMetadata"] = {
        "promptTokenCount": prompt_tokens,
        "candidatesTokenCount": _tokens(text),
        "totalTokenCount": prompt_tokens + _tokens(text),
    }
    return answer


@router.post("/v1beta/models/{model_action}")
@router.post("/v1/models/{model_action}")
async def generate_content(
    model_action: str,
    request: Request,
    x_goog_api_key: Annotated[str | None, Header()] = None,
) -> Response:
    model, _, action = model_action.partition(":")
    key = x_goog_api_key or request.query_params.get("key") or ""
    if not ACCESS.valid("gemini", key):
        return google_error(
            400,
            "API key not valid. Please pass a valid API key.",
            [
                {
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": "API_KEY_INVALID",
                    "domain": "googleapis.com",
                }
            ],
        )
    if action != "generateContent" or model.removeprefix("models/") in RETIRED_MODELS:
        return google_error(
            404,
            f"models/{model} is not found for API version v1beta, or is not supported for {action}",
        )
    admission = ACCESS.admit("gemini", key)
    if not admission.admitted:
        return google_error(
            429,
            "You exceeded your current quota, please check your plan and billing details.",
            retry_info(max(1, math.ceil(admission.retry_after))),
        )
    failure = await injected("gemini")
    if failure:
        details = None
        if failure.status == 429:
            details = retry_info(1 if failure.retry_after is None else failure.retry_after)
        return google_error(failure.status, "Injected failure from the local fake.", details)
    try:
        body = await request.json()
    except json.JSONDecodeError:
        return google_error(400, "Invalid JSON payload received.")
    problem = malformed(body)
    if problem:
        return google_error(400, problem)
    return JSONResponse(_response(model, body, OUTCOMES.take()))
