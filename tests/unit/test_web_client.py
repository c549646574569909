"""The web app's API client is generated from the OpenAPI schema: interfaces/web/openapi.json
must match the routes, and the committed client (interfaces/web/src/lib/api) must match
what the generator makes of that file."""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter

import pytest

from interfaces.cli.docs.api import OPENAPI_JSON, openapi_schema, render_openapi

WEB = OPENAPI_JSON.parent


def test_openapi_json_matches_the_routes() -> None:
    assert OPENAPI_JSON.read_text() == render_openapi(), (
        "interfaces/web/openapi.json is out of date with the routes. Regenerate it with:\n"
        "    ./kairos docs openapi --write && (cd interfaces/web && npm run generate)"
    )


def test_operation_ids_are_unique_function_names() -> None:
    ids = [op["operationId"] for ops in openapi_schema()["paths"].values() for op in ops.values()]
    assert [name for name, count in Counter(ids).items() if count > 1] == []
    assert "get_watchlist" in ids and "sign_in" in ids


@pytest.mark.skipif(
    shutil.which("node") is None or not (WEB / "node_modules").exists(),
    reason="needs Node.js and interfaces/web/node_modules (npm ci)",
)
def test_the_committed_client_matches_openapi_json() -> None:
    result = subprocess.run(
        ["node", "scripts/generate-client.mjs", "--check"],
        cwd=WEB,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr + result.stdout
