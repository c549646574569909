"""docs/api.md is generated from the routes; this fails when they drift apart."""

from __future__ import annotations

from interfaces.cli.docs.api import API_DOC, render


def test_docs_api_md_matches_the_routes() -> None:
    assert API_DOC.read_text() == render(), (
        "docs/api.md is out of date with the routes. Regenerate it with:\n"
        "    .venv/bin/python -m interfaces.cli.main docs api --write"
    )


def test_every_contract_route_is_documented() -> None:
    text = render()
    for operation in (
        "POST /auth/register",
        "POST /auth/token",
        "GET /me/watchlist",
        "POST /campaigns",
        "GET /campaigns/{campaign_id}/compliance",
        "GET /s/{token}",
        "GET /campaigns/{campaign_id}/verify",
        "GET /health",
    ):
        assert f"`{operation}`" in text, operation
