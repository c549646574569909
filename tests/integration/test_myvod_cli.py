"""`kairos myvod import FILE --user EMAIL` against the session database and the fakes."""

from __future__ import annotations

from pathlib import Path
from uuid import uuid4

import pytest
from typer.testing import CliRunner

from application.myvod.queries import watchlist_view
from infrastructure.bootstrap import Container
from interfaces.cli.main import app
from tests.support import myvod as support
from tests.support.myvod import catalogue_movies
from tests.support.polling import eventually
from tests.support.system import running_projector

myvod_container = support.myvod_container


def test_cli_imports_an_imdb_export_with_a_progress_bar(
    myvod_container: Container, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = myvod_container
    for key, value in {
        "DATABASE_URL": c.settings.database_url,
        "REDIS_URL": c.settings.redis_url,
        "SECRET_KEY": c.settings.secret_key,
        "TMDB_BASE_URL": c.settings.tmdb_base_url,
        "TMDB_API_KEY": "test",
    }.items():
        monkeypatch.setenv(key, str(value))
    email = f"cli-{uuid4().hex[:12]}@example.com"
    account_id, _ = c.identity.register(email, "a long enough password")
    movies = catalogue_movies()[40:43]
    lines = ["Const,Your Rating,Date Rated,Title,URL,Title Type,Year"]
    lines += [
        f'{m["imdb_id"]},{7 + i},2024-01-0{i + 1},"{m["title"]}",u,Movie,{m["release_date"][:4]}'
        for i, m in enumerate(movies)
    ]
    lines.append("tt0,5,2024-01-09,Nothing Like This Exists Qq,u,Movie,1990")
    export = tmp_path / "ratings.csv"
    export.write_text("\n".join(lines) + "\n")

    with running_projector(c):
        result = CliRunner().invoke(
            app, ["myvod", "import", str(export), "--user", email, "--data-dir", str(tmp_path)]
        )
        assert result.exit_code == 0, result.output
        assert "4 rows: 3 added, 0 updated, 0 unchanged, 1 unmatched" in result.output
        assert "Nothing Like This Exists Qq (1990)" in result.output
        items = eventually(
            lambda: (v := watchlist_view(c.database, account_id)["items"]) and len(v) == 3 and v
        )
    assert sorted(i["rating"] for i in items) == [7, 8, 9]
    assert {i["status"] for i in items} == {"watched"}

    again = CliRunner().invoke(
        app, ["myvod", "import", str(export), "--user", email, "--data-dir", str(tmp_path)]
    )
    assert "3 unchanged" in again.output


def test_cli_import_for_an_unknown_user_fails_clearly(
    myvod_container: Container, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = myvod_container
    monkeypatch.setenv("DATABASE_URL", str(c.settings.database_url))
    monkeypatch.setenv("SECRET_KEY", str(c.settings.secret_key))
    export = tmp_path / "x.csv"
    export.write_text("Name,Year,Rating\nA,2000,3\n")
    result = CliRunner().invoke(
        app,
        [
            "myvod",
            "import",
            str(export),
            "--user",
            "nobody@example.com",
            "--data-dir",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 1
