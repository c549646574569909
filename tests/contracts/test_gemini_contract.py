"""Gemini: the generateContent requests google-genai makes for the adapter, and the fake's
answers, against the SDK's own types (unknown fields refused) and the documented error
body; the fake's answer follows the requested schema and count, and a blocked prompt, a
MAX_TOKENS cut and a SAFETY stop keep the response contract too."""

from __future__ import annotations

import pytest

from application.myvod.ports import TasteProfile, UpstreamRefused, UpstreamUnavailable
from infrastructure.adapters.gemini import GeminiSuggester
from tests.contracts.conftest import Wire

KEY = "test-key"
MODEL = "gemini-2.5-flash-lite"
PROFILE = TasteProfile(
    titles=[
        {"title": "Alien", "year": 1979, "genres": ["Horror"], "status": "watched", "rating": 9}
    ]
)


@pytest.mark.parametrize("count", [1, 3, 7])
def test_the_answer_follows_the_requested_schema_and_count(wire: Wire, count: int) -> None:
    answer = GeminiSuggester(KEY, MODEL, wire.url).suggest(PROFILE, count)
    assert len(answer.items) == count and answer.source == "gemini"
    assert all(item.title and item.reason and item.year for item in answer.items)
    (call,) = wire.checked()
    schema = call.json()["generationConfig"]["responseJsonSchema"]
    assert schema["minItems"] == schema["maxItems"] == count


def test_a_schema_with_other_properties_gets_those_properties(wire: Wire) -> None:
    body = {
        "contents": [{"role": "user", "parts": [{"text": "Suggest films like Alien"}]}],
        "generationConfig": {
            "responseMimeType": "application/json",
            "responseJsonSchema": {
                "type": "array",
                "minItems": 2,
                "maxItems": 2,
                "items": {
                    "type": "object",
                    "properties": {"title": {"type": "string"}, "score": {"type": "number"}},
                    "required": ["title", "score"],
                    "additionalProperties": False,
                },
            },
        },
    }
    answer = wire.control.post(
        f"/v1beta/models/{MODEL}:generateContent", headers={"x-goog-api-key": KEY}, json=body
    )
    assert answer.status_code == 200
    wire.checked()


def test_a_wrong_gemini_key_is_a_400_api_key_invalid(wire: Wire) -> None:
    with pytest.raises(UpstreamRefused, match="400"):
        GeminiSuggester("not-a-gemini-key", MODEL, wire.url).suggest(PROFILE, 3)
    (refused,) = wire.checked()
    error = refused.response_json()["error"]
    assert error["status"] == "INVALID_ARGUMENT"
    assert error["details"][0]["reason"] == "API_KEY_INVALID"


@pytest.mark.parametrize(
    ("outcome", "why"),
    [
        ("blocked", "blocked the prompt (SAFETY)"),
        ("max_tokens", "cut at its token limit (MAX_TOKENS)"),
        ("safety", "stopped its answer (SAFETY)"),
    ],
)
def test_blocked_cut_and_stopped_answers_keep_the_contract_and_are_refusals(
    wire: Wire, outcome: str, why: str
) -> None:
    wire.control.post("/_control/gemini/outcome", json={"outcome": outcome})
    with pytest.raises(UpstreamRefused, match=why.replace("(", r"\(").replace(")", r"\)")):
        GeminiSuggester(KEY, MODEL, wire.url).suggest(PROFILE, 3)
    wire.checked()


def test_an_answer_longer_than_max_output_tokens_is_cut(wire: Wire) -> None:
    body = {
        "contents": [{"role": "user", "parts": [{"text": "Suggest films"}]}],
        "generationConfig": {"maxOutputTokens": 5},
    }
    answer = wire.control.post(
        f"/v1beta/models/{MODEL}:generateContent", headers={"x-goog-api-key": KEY}, json=body
    )
    (candidate,) = answer.json()["candidates"]
    assert candidate["finishReason"] == "MAX_TOKENS"
    assert len(candidate["content"]["parts"][0]["text"]) <= 20
    wire.checked()


@pytest.mark.parametrize("status", [403, 429, 500, 503])
def test_injected_failures_keep_googles_error_body(wire: Wire, status: int) -> None:
    wire.control.post("/_control/gemini", json={"fail_next": 1, "status": status, "retry_after": 2})
    with pytest.raises((UpstreamRefused, UpstreamUnavailable)):
        GeminiSuggester(KEY, MODEL, wire.url).suggest(PROFILE, 3)
    wire.checked()


def test_a_retired_model_is_a_404_in_googles_shape(wire: Wire) -> None:
    with pytest.raises(UpstreamRefused, match="404"):
        GeminiSuggester(KEY, "gemini-1.5-flash", wire.url).suggest(PROFILE, 3)
    wire.checked()


def test_the_checker_catches_an_unknown_field_and_an_answer_off_its_schema(wire: Wire) -> None:
    import json

    from tests.contracts.checker import gemini

    GeminiSuggester(KEY, MODEL, wire.url).suggest(PROFILE, 2)
    (x,) = wire.recorder.take()
    answer = x.response_json()
    answer["candidates"][0]["finish"] = "STOP"
    answer["candidates"][0]["content"]["parts"][0]["text"] = json.dumps([{"title": "x"}])
    x.response_body = json.dumps(answer).encode()
    problems = gemini(x)
    assert any("finish" in p for p in problems), problems
    assert any("reason" in p or "minItems" in p or "shorter" in p for p in problems), problems


@pytest.mark.parametrize(
    "body",
    [
        [],
        {"contents": 5},
        {"contents": [{"parts": "text"}]},
        {"contents": [{"parts": [{"text": "x"}]}], "generationConfig": []},
        {"contents": [{"parts": [{"text": "x"}]}], "generationConfig": {"responseJsonSchema": 1}},
        {"contents": [{"parts": [{"text": "x"}]}], "generationConfig": {"maxOutputTokens": "9"}},
    ],
    ids=["array", "contents-int", "parts-str", "config-list", "schema-int", "tokens-str"],
)
def test_a_malformed_request_is_a_400_in_googles_shape_never_a_500(
    wire: Wire, body: object
) -> None:
    answer = wire.control.post(
        f"/v1beta/models/{MODEL}:generateContent", headers={"x-goog-api-key": KEY}, json=body
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["status"] == "INVALID_ARGUMENT"
    wire.recorder.take()


def test_an_openapi_subset_response_schema_is_honoured_too(wire: Wire) -> None:
    """`responseSchema` (Google's OpenAPI subset: upper-case types, int64 counts as strings)
    is the other documented way to ask for structured output."""
    import json

    body = {
        "contents": [{"role": "user", "parts": [{"text": "Suggest films like Alien"}]}],
        "generationConfig": {
            "responseMimeType": "application/json",
            "responseSchema": {
                "type": "ARRAY",
                "minItems": "4",
                "maxItems": "4",
                "items": {"type": "OBJECT", "properties": {"title": {"type": "STRING"}}},
            },
        },
    }
    answer = wire.control.post(
        f"/v1beta/models/{MODEL}:generateContent", headers={"x-goog-api-key": KEY}, json=body
    )
    items = json.loads(answer.json()["candidates"][0]["content"]["parts"][0]["text"])
    assert len(items) == 4 and all(set(i) == {"title"} and i["title"] for i in items)
    wire.checked()
