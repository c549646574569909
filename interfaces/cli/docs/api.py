"""docs/api.md, generated from the OpenAPI schema so it cannot drift from the routes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

API_DOC = Path(__file__).resolve().parents[3] / "docs" / "api.md"

HEADER = """# HTTP API

<!-- GENERATED from the FastAPI routes by interfaces/cli/docs/api.py. Do not edit by hand.
     Regenerate: .venv/bin/python -m interfaces.cli.main docs api --write -->

The machine-readable schema is served at `/openapi.json` (Swagger UI at `/docs`); this page
lists every operation it declares. Errors are `{"detail": ...}` with the status codes of
`CONTRACT.md`. A route marked *bearer* needs `Authorization: Bearer <access token>` from
`POST /auth/token`. POSTs that create or change something accept an `Idempotency-Key` header:
a retry with the same key returns the first response and records nothing twice.
"""


def openapi_schema() -> dict[str, Any]:
    from interfaces.http.app import offline_app

    return offline_app("docs").openapi()


def _schema_name(content: dict[str, Any] | None) -> str:
    if not content:
        return ""
    for media_type, body in content.items():
        schema = body.get("schema", {})
        ref = schema.get("$ref") or schema.get("items", {}).get("$ref", "")
        name = ref.rsplit("/", 1)[-1] if ref else schema.get("type", "")
        return f"`{name}` ({media_type})" if name else f"({media_type})"
    return ""


def render() -> str:
    schema = openapi_schema()
    lines = [HEADER]
    by_tag: dict[str, list[tuple[str, str, dict[str, Any]]]] = {}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            tag = (operation.get("tags") or ["other"])[0]
            by_tag.setdefault(tag, []).append((method.upper(), path, operation))
    for tag in sorted(by_tag):
        lines.append(f"\n## {tag}\n")
        lines.append("| operation | auth | request | success | errors |")
        lines.append("| --- | --- | --- | --- | --- |")
        for method, path, operation in by_tag[tag]:
            auth = "bearer" if operation.get("security") else "none"
            request = _schema_name(operation.get("requestBody", {}).get("content"))
            params = [p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"]
            if params:
                request = (request + " " if request else "") + "query: " + ", ".join(params)
            responses = operation.get("responses", {})
            success = [c for c in responses if c.startswith("2")]
            errors = [c for c in responses if not c.startswith("2")]
            summary = operation.get("summary", "")
            success_text = ", ".join(
                f"{c} {_schema_name(responses[c].get('content'))}".strip() for c in success
            )
            lines.append(
                f"| `{method} {path}`<br>{summary} | {auth} | {request} | {success_text} |"
                f" {', '.join(errors)} |"
            )
    return "\n".join(lines) + "\n"


DOC = API_DOC


OPENAPI_JSON = API_DOC.parents[1] / "interfaces" / "web" / "openapi.json"
"""The schema the web app's client is generated from (`npm run generate` in interfaces/web)."""


def render_openapi() -> str:
    import json

    return json.dumps(openapi_schema(), indent=2, ensure_ascii=False) + "\n"


def write_openapi() -> bool:
    text = render_openapi()
    if OPENAPI_JSON.exists() and OPENAPI_JSON.read_text() == text:
        return False
    OPENAPI_JSON.write_text(text)
    return True
