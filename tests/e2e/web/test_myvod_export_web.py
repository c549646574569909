"""Export in a real browser against `kairos up`: the Import and export page downloads my
data as Letterboxd CSV and as JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx

from tests.support.web import WebUp, axe_violations, screenshot

PASSWORD = "correct horse battery"


def test_a_person_downloads_their_data(desktop: Any, up: WebUp) -> None:
    page = desktop
    try:
        page.goto("/sign-up")
        page.get_by_label("Email").fill(f"export-{uuid4().hex[:8]}@example.com")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign up").click()
        page.wait_for_url(re.compile(r"/(onboarding|watchlist)"))
        token = page.context.request.post(
            f"{up.base_url}/auth/session/refresh", headers={"X-Kairos-Session": "1"}
        ).json()["access_token"]
        bearer = {"Authorization": f"Bearer {token}"}
        added = httpx.post(
            f"{up.base_url}/me/watchlist/items", json={"query": "Casablanca"}, headers=bearer
        )
        assert added.status_code == 201, added.text
        tmdb_id = added.json()["tmdb_id"]
        httpx.post(
            f"{up.base_url}/me/watchlist/items/{tmdb_id}/watched",
            json={"rating": 9},
            headers=bearer,
        )

        page.goto("/import")
        page.get_by_role("heading", name="Export", exact=True).wait_for()
        with page.expect_download() as json_download:
            page.get_by_role("button", name="Everything (JSON)").click()
        download = json_download.value
        assert download.suggested_filename == "kairos-myvod.json"
        data = json.loads(Path(download.path()).read_text())
        assert [(i["tmdb_id"], i["rating"]) for i in data["watchlist"]] == [(tmdb_id, 9)]

        with page.expect_download() as csv_download:
            page.get_by_role("button", name="Watched films (Letterboxd CSV)").click()
        lines = Path(csv_download.value.path()).read_text().splitlines()
        assert lines[0] == "tmdbID,Title,Year,WatchedDate,Rating10,Review"
        assert lines[1].startswith(f"{tmdb_id},Casablanca,")
        assert axe_violations(page) == []
        screenshot(page, "export-desktop")
    except Exception:
        print(f"failed at {page.url}; screenshot {screenshot(page, 'export-failure')}")
        print(up.output()[-4000:])
        raise
