"""Checks recorded exchanges against the vendors' contracts (tests/contracts/specs.py): the
request an adapter sent (operation, parameters, credentials, body) and the answer the fake
gave (documented status, body schema, headers). Each check returns its problems as text;
an empty list means the exchange keeps the contract."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

import jsonschema_rs

from tests.contracts import specs
from tests.contracts.wire import Exchange


def schema_problems(schema: Any, value: Any, where: str) -> list[str]:
    validator = jsonschema_rs.validator_for(schema)
    return [
        f"{where}: {e.message} at {list(e.instance_path)}" for e in validator.iter_errors(value)
    ]


@cache
def _templates(spec_name: str, prefix: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    spec = specs.document(spec_name)
    found = []
    for template in spec["paths"]:
        pattern = re.sub(r"\\{(\w+)\\}", r"(?P<\1>[^/]+)", re.escape(prefix + template))
        found.append((re.compile(f"^{pattern}$"), template))
    return tuple(found)


def operation(
    spec: dict[str, Any], spec_name: str, x: Exchange, prefix: str = ""
) -> tuple[str, dict[str, Any], dict[str, str]] | None:
    """The documented operation this request calls: (path template, operation, path
    parameters), or None."""
    for pattern, template in _templates(spec_name, prefix):
        match = pattern.match(x.path)
        if match and x.method.lower() in spec["paths"][template]:
            return template, spec["paths"][template][x.method.lower()], match.groupdict()
    return None


def _coerced(value: str, schema: dict[str, Any]) -> Any:
    kind = schema.get("type")
    try:
        if kind == "integer":
            return int(value)
        if kind == "number":
            return float(value)
    except ValueError:
        return value
    if kind == "boolean":
        return {"true": True, "false": False}.get(value, value)
    return value


def parameter_problems(
    spec: dict[str, Any],
    op: dict[str, Any],
    x: Exchange,
    path_params: dict[str, str],
    credentials: tuple[str, ...] = (),
) -> list[str]:
    """Query and path parameters: declared, required ones present, values of their type.
    `credentials`: query parameters that carry the key (a security scheme's, not declared)."""
    problems = []
    declared = {(p["in"], p["name"]): p for p in op.get("parameters", [])}
    sent = dict(x.query)
    for name, value in x.query:
        parameter = declared.get(("query", name))
        if parameter is None:
            if name not in credentials:
                problems.append(f"{x}: query parameter {name!r} is not documented")
            continue
        schema = specs.json_schema(parameter.get("schema", {}), spec)
        problems += schema_problems(schema, _coerced(value, schema), f"{x} ?{name}")
    for (where, name), parameter in declared.items():
        if parameter.get("required") and where == "query" and name not in sent:
            problems.append(f"{x}: required query parameter {name!r} is missing")
        if where == "path":
            schema = specs.json_schema(parameter.get("schema", {}), spec)
            value = _coerced(path_params.get(name, ""), schema)
            problems += schema_problems(schema, value, f"{x} path {name}")
    return problems


def security_problems(
    spec: dict[str, Any], x: Exchange, extra: tuple[dict[str, Any], ...] = ()
) -> list[str]:
    """At least one documented way of sending the key was used, with a non-empty key."""
    schemes = {**spec["components"]["securitySchemes"]}
    alternatives = [list(s) for s in spec.get("security", [])]
    for i, scheme in enumerate(extra):
        schemes[f"extra{i}"] = scheme
        alternatives.append([f"extra{i}"])
    query = dict(x.query)
    for names in alternatives:
        if all(_satisfied(schemes[n], x.headers, query) for n in names):
            return []
    return [f"{x}: no documented credential (one of {alternatives})"]


def _satisfied(scheme: dict[str, Any], headers: dict[str, str], query: dict[str, str]) -> bool:
    if scheme["type"] == "http" and scheme.get("scheme") == "bearer":
        value = headers.get("authorization", "")
        return value.startswith("Bearer ") and bool(value[7:].strip())
    if scheme["type"] == "apiKey":
        source = headers if scheme["in"] == "header" else query
        return bool(
            source.get(scheme["name"].lower() if scheme["in"] == "header" else scheme["name"])
        )
    return False


# -- TMDB ------------------------------------------------------------------------------

TMDB_API_KEY = {"type": "apiKey", "in": "query", "name": "api_key"}


def tmdb(x: Exchange) -> list[str]:
    spec = specs.document("tmdb-api.json")
    found = operation(spec, "tmdb-api.json", x)
    if found is None:
        return [f"{x}: not a TMDB operation Kairos is meant to call"]
    _, op, path_params = found
    problems = security_problems(spec, x, (TMDB_API_KEY,))
    problems += parameter_problems(spec, op, x, path_params, credentials=("api_key",))
    body = x.response_json()
    if x.status == 200:
        schema = op["responses"]["200"]["content"]["application/json"]["schema"]
        problems += schema_problems(specs.json_schema(schema, spec, strict=True), body, str(x))
    else:
        problems += tmdb_error(x.status, body, str(x))
    return problems


def tmdb_error(status: int, body: Any, where: str) -> list[str]:
    errors = specs.document("tmdb-errors.json")
    problems = schema_problems(errors["schema"], body, where)
    code = str((body or {}).get("status_code"))
    documented = errors["codes"].get(code)
    if documented is None:
        problems.append(f"{where}: TMDB status_code {code} is not one the docs list")
    elif documented[0] != status:
        problems.append(f"{where}: status_code {code} belongs with HTTP {documented[0]}")
    return problems


# -- Watchmode -------------------------------------------------------------------------


def watchmode(x: Exchange) -> list[str]:
    spec = specs.document("watchmode-openapi.json")
    found = operation(spec, "watchmode-openapi.json", x, prefix="/v1")
    if found is None:
        return [f"{x}: not a Watchmode operation"]
    _, op, path_params = found
    problems = security_problems(spec, x)
    problems += parameter_problems(spec, op, x, path_params, credentials=("apiKey",))
    response = op["responses"].get(str(x.status))
    if response is None:
        return [*problems, f"{x}: status {x.status} is not documented"]
    schema = response["content"]["application/json"]["schema"]
    problems += schema_problems(specs.json_schema(schema, spec), x.response_json(), str(x))
    if x.status == 200:
        problems += [
            f"{x}: success without the {h} header"
            for h in _declared(response)
            if h not in x.response_headers
        ]
    if x.status == 429 and "retry-after" not in x.response_headers:
        problems.append(f"{x}: 429 without Retry-After")
    return problems


def _declared(response: dict[str, Any]) -> set[str]:
    return {h.lower() for h in response.get("headers", {})}


# -- SendGrid --------------------------------------------------------------------------


def sendgrid(x: Exchange) -> list[str]:
    spec = specs.sendgrid()
    found = operation(spec, "sendgrid-tsg_mail_v3.json", x)
    if found is None:
        return [f"{x}: not a Mail Send operation"]
    _, op, _ = found
    problems = security_problems(spec, x)
    if not x.headers.get("content-type", "").startswith("application/json"):
        problems.append(f"{x}: the body is not sent as JSON")
    request = specs.json_schema(op["requestBody"], spec)["content"]["application/json"]["schema"]
    problems += schema_problems(request, x.json(), f"{x} request")
    response = op["responses"].get(str(x.status))
    if response is None:
        return [*problems, f"{x}: status {x.status} is not documented"]
    response = specs.json_schema(response, spec)
    if x.status == 202:
        if x.response_body:
            problems.append(f"{x}: 202 with a body")
        if not x.response_headers.get("x-message-id"):
            problems.append(f"{x}: 202 without X-Message-Id")
    else:
        schema = response["content"]["application/json"]["schema"]
        problems += schema_problems(schema, x.response_json(), str(x))
    return problems


# -- Gemini ----------------------------------------------------------------------------


def gemini(x: Exchange) -> list[str]:
    from google.genai import types

    contract = specs.document("gemini-generatecontent.json")
    problems = []
    if not re.match(contract["path_pattern"], x.path):
        problems.append(f"{x}: not a generateContent path")
    if not (x.headers.get("x-goog-api-key") or dict(x.query).get("key")):
        problems.append(f"{x}: no API key")
    body = x.json() or {}
    known = {
        "contents": list[types.Content],
        "systemInstruction": types.Content,
        "generationConfig": types.GenerationConfig,
    }
    for key in body:
        if key not in known:
            problems.append(f"{x}: request field {key!r} is not GenerateContentRequest's")
    problems += _pydantic(
        lambda: [types.Content.model_validate(c) for c in body.get("contents", [])], f"{x} contents"
    )
    if "systemInstruction" in body:
        problems += _pydantic(
            lambda: types.Content.model_validate(body["systemInstruction"]),
            f"{x} systemInstruction",
        )
    config = body.get("generationConfig") or {}
    problems += _pydantic(
        lambda: types.GenerationConfig.model_validate(config), f"{x} generationConfig"
    )
    if config.get("responseMimeType") == "application/json":
        given = [k for k in ("responseJsonSchema", "responseSchema") if k in config]
        if len(given) != 1:
            problems.append(
                f"{x}: JSON output needs exactly one of responseJsonSchema/responseSchema"
            )
    answer = x.response_json()
    if x.status != 200:
        problems += schema_problems(contract["error_body"], answer, str(x))
        error = (answer or {}).get("error", {})
        if error.get("status") not in contract["status_names"].get(str(x.status), []):
            problems.append(f"{x}: status name {error.get('status')!r} does not go with {x.status}")
        for detail in error.get("details", []):
            if detail.get("@type", "").endswith("RetryInfo") and not re.match(
                contract["retry_delay_pattern"], str(detail.get("retryDelay"))
            ):
                problems.append(f"{x}: retryDelay {detail.get('retryDelay')!r}")
        return problems
    problems += _pydantic(
        lambda: types.GenerateContentResponse.model_validate(answer), f"{x} response"
    )
    problems += _structured_output(config, answer, str(x))
    return problems


def _structured_output(config: dict[str, Any], answer: dict[str, Any], where: str) -> list[str]:
    """A finished JSON answer conforms to the schema the request asked for."""
    candidates = answer.get("candidates") or []
    schema = config.get("responseJsonSchema")
    if not candidates or candidates[0].get("finishReason") != "STOP" or schema is None:
        return []
    text = "".join(p.get("text", "") for p in candidates[0].get("content", {}).get("parts", []))
    try:
        value = json.loads(text)
    except ValueError:
        return [f"{where}: the answer is not the JSON the request asked for"]
    return schema_problems(schema, value, f"{where} answer")


def _pydantic(check: Any, where: str) -> list[str]:
    from pydantic import ValidationError

    try:
        check()
    except ValidationError as error:
        return [f"{where}: {e['loc']} {e['msg']}" for e in error.errors()]
    return []


CHECKS = {
    "/3/": tmdb,
    "/v1/models": gemini,
    "/v1beta/": gemini,
    "/v1/": watchmode,
    "/v3/": sendgrid,
}


def check(x: Exchange) -> list[str]:
    for prefix, checker in CHECKS.items():
        if x.path.startswith(prefix):
            return checker(x)
    return [f"{x}: no contract for this path"]
