"""The web app's figures: first-load JavaScript (gzip) of the watchlist page, and Lighthouse's
performance score for it (mobile profile, headless /usr/bin/chromium) with 500 titles on the
list, plus the DOM cards rendered for those 500 (the list is virtualised).

    python -m benchmarks.web_app --base-url http://127.0.0.1:8000 [--json]

against a running `kairos up` on the local stand-ins (it signs up a fresh user and imports
the stand-in catalogue). Lighthouse comes from benchmarks/web (`npm ci` there once).
`kairos bench` can call `measure(base_url)`.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx

ROOT = Path(__file__).resolve().parents[1]
LIGHTHOUSE = ROOT / "benchmarks" / "web" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "correct horse battery"
TITLES = 500


def seed_watchlist(base: str, titles: int = TITLES) -> tuple[str, str]:
    """A fresh account with `titles` films: the stand-in catalogue imported by IMDb id, the
    rest added by TMDB id (unknown ids: they show as placeholders). Returns (email, token)."""
    from stand_ins.catalogue_state import bundled

    email = f"bench-{uuid4().hex[:8]}@example.com"
    with httpx.Client(base_url=base, timeout=300) as http:
        http.post("/auth/register", json={"email": email, "password": PASSWORD}).raise_for_status()
        token = ""
        for _ in range(100):
            answer = http.post("/auth/token", data={"username": email, "password": PASSWORD})
            if answer.status_code == 200:
                token = answer.json()["access_token"]
                break
            time.sleep(0.2)
        auth = {"Authorization": f"Bearer {token}"}
        http.put(
            "/me/watchlist/services",
            json={"region": "PL", "services": ["netflix", "hbo-max", "mubi"]},
            headers=auth,
        ).raise_for_status()
        movies = bundled()["movies"][:titles]
        lines = ["Const,Your Rating,Date Rated,Title,URL,Title Type,Year"]
        lines += [
            f'{m["imdb_id"]},,,"{m["title"]}",u,Movie,{m["release_date"][:4]}' for m in movies
        ]
        http.post(
            "/me/watchlist/import",
            files={"file": ("watchlist.csv", "\n".join(lines).encode(), "text/csv")},
            headers=auth,
        ).raise_for_status()
        for extra in range(titles - len(movies)):
            http.post("/me/watchlist/items", json={"tmdb_id": 900001 + extra}, headers=auth)
    return email, token


def lighthouse(base: str, email: str) -> dict[str, float]:
    """Lighthouse (mobile) on /watchlist, signed in: Chromium starts with a debugging port
    and a profile where Playwright signed in; Lighthouse then audits in that profile."""
    from playwright.sync_api import sync_playwright

    from infrastructure.embedded import free_port

    port = free_port()
    profile = Path(tempfile.mkdtemp(prefix="kairos-lh-"))
    try:
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                str(profile),
                executable_path=str(CHROMIUM),
                headless=True,
                args=[f"--remote-debugging-port={port}"],
            )
            try:
                page = context.new_page()
                page.goto(f"{base}/sign-in")
                page.get_by_label("Email").fill(email)
                page.get_by_label("Password").fill(PASSWORD)
                page.get_by_role("button", name="Sign in").click()
                page.wait_for_url("**/watchlist")
                page.locator("article").first.wait_for(timeout=60_000)
                cards = page.locator("article").count()
                sizes: dict[str, int] = {}
                fresh = context.new_page()
                fresh.on(
                    "response",
                    lambda r: (
                        sizes.__setitem__(r.url, int(r.headers.get("content-length") or 0))
                        if "/assets/" in r.url and r.url.endswith(".js")
                        else None
                    ),
                )
                fresh.goto(f"{base}/watchlist")
                fresh.locator("article").first.wait_for(timeout=60_000)
                fresh.wait_for_load_state("networkidle")
                fresh.close()
                report = subprocess.run(
                    [
                        str(LIGHTHOUSE),
                        f"{base}/watchlist",
                        f"--port={port}",
                        "--only-categories=performance",
                        "--output=json",
                        "--quiet",
                        "--disable-storage-reset",
                    ],
                    capture_output=True,
                    text=True,
                    timeout=300,
                )
            finally:
                context.close()
        if report.returncode != 0:
            raise RuntimeError(f"lighthouse failed: {report.stderr[-2000:]}")
        result = json.loads(report.stdout)
        audits = result["audits"]
        return {
            "lighthouse_performance": round(result["categories"]["performance"]["score"] * 100),
            "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
            "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
            "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
            "fcp_ms": round(audits["first-contentful-paint"]["numericValue"]),
            "cards_in_dom": cards,
            "first_load_js_gzip_kb": round(sum(sizes.values()) / 1024, 1),
            "first_load_js_files": len(sizes),
        }
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def measure(base: str, titles: int = TITLES) -> dict[str, Any]:
    figures: dict[str, Any] = {"titles": titles}
    email, _ = seed_watchlist(base, titles)
    if LIGHTHOUSE.exists():
        figures.update(lighthouse(base, email))
    else:
        figures["lighthouse_performance"] = None  # run `npm ci` in benchmarks/web
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--titles", type=int, default=TITLES)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures = measure(args.base_url.rstrip("/"), args.titles)
    if args.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key:>28}: {value}")


if __name__ == "__main__":
    main()
