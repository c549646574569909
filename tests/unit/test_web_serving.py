"""The API serves the built web app: deep links get index.html, API paths keep their JSON
404, assets are gzipped and cached, nothing outside dist/ is reachable, and a missing build
says how to make one. `kairos web build` rebuilds only when a bundled source changed."""

from __future__ import annotations

import os
import time
from pathlib import Path
from types import SimpleNamespace

from fastapi import FastAPI
from fastapi.testclient import TestClient

from infrastructure.settings import Settings
from interfaces.cli.web import bundle_is_stale
from interfaces.http.webapp import install_web_app


def app_with(dist: Path) -> TestClient:
    app = FastAPI()
    app.state.container = SimpleNamespace(
        settings=Settings(secret_key="x", tmdb_base_url="http://127.0.0.1:9999")
    )

    @app.get("/me/watchlist")
    def watchlist() -> dict[str, str]:
        return {"ok": "yes"}

    install_web_app(app, dist)
    return TestClient(app)


def built(tmp_path: Path) -> Path:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text('<div id="root"></div><script src="/assets/a.js"></script>')
    (dist / "assets" / "a.js").write_text("console.log('kairos');" * 50)
    (tmp_path / "secret.txt").write_text("not for you")
    return dist


def test_deep_links_load_the_app_and_api_paths_keep_json(tmp_path: Path) -> None:
    client = app_with(built(tmp_path))
    for path in ("/", "/watchlist", "/title/5", "/console/campaigns/x"):
        page = client.get(path)
        assert page.status_code == 200 and 'id="root"' in page.text, path
        assert (
            "img-src 'self' data: https: http://127.0.0.1:9999"
            in page.headers["content-security-policy"]
        )
        assert page.headers["cache-control"] == "no-cache"
    assert client.get("/me/watchlist").json() == {"ok": "yes"}
    assert client.get("/me/nothing").json() == {"detail": "Not Found"}
    assert client.get("/s/whatever").status_code == 404
    assert client.get("/docs").status_code == 200  # FastAPI's own, not the app


def test_assets_are_gzipped_and_cached_and_nothing_outside_dist_is_served(tmp_path: Path) -> None:
    client = app_with(built(tmp_path))
    script = client.get("/assets/a.js", headers={"Accept-Encoding": "gzip"})
    assert script.headers["content-encoding"] == "gzip"
    assert "immutable" in script.headers["cache-control"]
    assert script.text.startswith("console.log")
    assert client.get("/assets/missing.js").status_code == 404
    for sneaky in ("/../secret.txt", "/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt"):
        assert "not for you" not in client.get(sneaky).text, sneaky


def test_a_missing_build_says_how_to_make_one(tmp_path: Path) -> None:
    page = app_with(tmp_path / "nothing").get("/")
    assert page.status_code == 200 and "npm run build" in page.text and "/docs" in page.text


def test_while_kairos_up_builds_the_bundle_the_page_says_so_and_reloads(tmp_path: Path) -> None:
    """The first `kairos up` installs the app's packages for minutes: the page said "needs
    Node.js 20.19" meanwhile, though Node.js was there and building (found in a trial)."""
    dist = tmp_path / "dist"
    (tmp_path / ".building").write_text(str(os.getpid()))
    page = app_with(dist).get("/watchlist")
    assert page.status_code == 503 and page.headers["retry-after"] == "5"
    assert "being built" in page.text and 'http-equiv="refresh"' in page.text
    (tmp_path / ".building").write_text("999999999")  # a builder that died
    assert "npm run build" in app_with(dist).get("/").text


def test_the_bundle_is_stale_only_when_a_bundled_source_is_newer(tmp_path: Path) -> None:
    web = tmp_path
    (web / "src").mkdir()
    source = web / "src" / "main.tsx"
    source.write_text("x")
    assert bundle_is_stale(web)  # never built
    built(web)
    later = time.time() + 10
    os.utime(web / "dist" / "index.html", (later, later))
    assert not bundle_is_stale(web)
    test_file = web / "src" / "main.test.tsx"
    test_file.write_text("t")
    os.utime(test_file, (later + 10, later + 10))
    assert not bundle_is_stale(web)  # tests do not change the bundle
    os.utime(source, (later + 10, later + 10))
    assert bundle_is_stale(web)
