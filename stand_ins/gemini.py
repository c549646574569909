"""Local fake of the Gemini API (a real HTTP server speaking the vendor's contract).

`POST /v1beta/models/{model}:generateContent` with `x-goog-api-key` (or `?key=`); unknown
query parameters are ignored and enums may be strings or integers. The answer is a JSON array
of {title, year, reason} picked from the bundled catalogue by the genres of titles the prompt
mentions, returned as text in candidates[0].content.parts[0].text. Errors use Google's body
{"error": {code, message, status, details}}.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request, Response
from fastapi.responses import JSONResponse

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

STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}


def google_error(code: int, message: str, details: list[dict[str, Any]] | None = None):  # type: ignore[no-untyped-def]
    body = {"code": code, "message": message, "status": STATUS_NAMES.get(code, "UNKNOWN")}
    if details:
        body["details"] = details
    return JSONResponse({"error": body}, status_code=code)


def prompt_text(body: dict[str, Any]) -> str:
    texts = []
    for content in body.get("contents", []) or []:
        for part in content.get("parts", []) or []:
            if isinstance(part, dict) and isinstance(part.get("text"), str):
                texts.append(part["text"])
    return "\n".join(texts)


def suggest(prompt: str, count: int = 5) -> list[dict[str, Any]]:
    lowered = prompt.lower()
    mentioned = [m for m in STATE.movies.values() if m["title"].lower() in lowered]
    genres = Counter(g for m in mentioned for g in m["genre_ids"])
    names = {g["id"]: g["name"] for g in bundled()["genres"]}
    seen = {m["id"] for m in mentioned}
    ranked = sorted(
        (m for m in STATE.movies.values() if m["id"] not in seen),
        key=lambda m: (-sum(genres[g] for g in m["genre_ids"]), -m["vote_average"], m["id"]),
    )
    result = []
    for movie in ranked[:count]:
        shared = [names[g] for g in movie["genre_ids"] if genres[g]] or [
            names[movie["genre_ids"][0]]
        ]
        result.append(
            {
                "title": movie["title"],
                "year": int(movie["release_date"][:4]),
                "reason": f"You rate {' and '.join(shared[:2]).lower()} highly; this one is "
                f"a well-liked {shared[0].lower()} pick.",
            }
        )
    return result


@router.post("/v1beta/models/{model_action}")
@router.post("/v1/models/{model_action}")
async def generate_content(
    model_action: str,
    request: Request,
    x_goog_api_key: Annotated[str | None, Header()] = None,
) -> Response:
    model, _, action = model_action.partition(":")
    if not (x_goog_api_key or request.query_params.get("key")):
        return google_error(
            400,
            "API key not valid. Please pass a valid API key.",
            [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID"}],
        )
    if action != "generateContent" or model.removeprefix("models/") in RETIRED_MODELS:
        return google_error(
            404,
            f"models/{model} is not found for API version v1beta, or is not supported for {action}",
        )
    failure = await injected("gemini")
    if failure:
        details = None
        if failure.status == 429:
            details = [
                {
                    "@type": "type.googleapis.com/google.rpc.RetryInfo",
                    "retryDelay": f"{1 if failure.retry_after is None else failure.retry_after}s",
                }
            ]
        return google_error(failure.status, "Injected failure from the local fake.", details)
    try:
        body = await request.json()
    except json.JSONDecodeError:
        return google_error(400, "Invalid JSON payload received.")
    suggestions = suggest(prompt_text(body))
    text = json.dumps(suggestions)
    return JSONResponse(
        {
            "candidates": [
                {
                    "content": {"role": "model", "parts": [{"text": text}]},
                    "finishReason": "STOP",
                    "index": 0,
                }
            ],
            "usageMetadata": {
                "promptTokenCount": len(prompt_text(body).split()),
                "candidatesTokenCount": len(text.split()),
                "totalTokenCount": len(prompt_text(body).split()) + len(text.split()),
            },
            "modelVersion": model.removeprefix("models/"),
            "responseId": f"fake-{STATE.calls.get('gemini', 0)}",
        }
    )
