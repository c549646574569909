"""Letterboxd (ZIP or CSVs) and IMDb exports parse into rows: watchlist rows to watch,
watched and rated rows watched on their own date with 1-10 ratings."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest

from application.myvod.importing import (
    ImportRow,
    letterboxd_rating,
    parse_export,
    parse_upload,
)
from application.myvod.matching import match_row, normalised
from application.myvod.ports import SearchHit, TitleDetails
from domain.shared.errors import InvalidInput

PLAIN = "Date,Name,Year,Letterboxd URI\n"


def zipped(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_letterboxd_ratings_export_doubles_stars_and_keeps_the_date() -> None:
    data = (
        "\ufeffDate,Name,Year,Letterboxd URI,Rating\n"
        "2024-01-02,The Silent Harbor,2011,https://boxd.it/a,4.5\n"
        '2024-01-03,"Ada\'s Letter, Again",1999,https://boxd.it/b,0.5\n'
        "2024-01-04,No Rating Here,,https://boxd.it/c,\n"
    ).encode()
    kind, rows = parse_export(data, filename="ratings.csv")
    assert kind == "letterboxd"
    assert rows == [
        ImportRow("The Silent Harbor", 2011, 9, True, watched_on=date(2024, 1, 2)),
        ImportRow("Ada's Letter, Again", 1999, 1, True, watched_on=date(2024, 1, 3)),
        ImportRow("No Rating Here", None, None, True, watched_on=date(2024, 1, 4)),
    ]


def test_letterboxd_watchlist_csv_lands_as_to_watch_not_watched() -> None:
    """Regression: every Letterboxd row became watched, so watchlist.csv landed watched."""
    data = PLAIN + "2024-05-01,Heat,1995,https://boxd.it/h\n"
    for name in ("watchlist.csv", "export.csv", None):
        _, rows = parse_export(data, filename=name)
        assert rows == [ImportRow("Heat", 1995, None, False)], name


def test_letterboxd_watched_and_diary_dates_are_kept() -> None:
    """Regression: imported films were marked watched today instead of on their date."""
    _, watched = parse_export(PLAIN + "2023-02-03,Alien,1979,u\n", filename="watched.csv")
    assert watched == [ImportRow("Alien", 1979, None, True, watched_on=date(2023, 2, 3))]
    diary = (
        "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n"
        "2024-01-10,Alien,1979,u,4,,,2023-12-31\n"
    )
    _, rows = parse_export(diary, filename="diary.csv")
    assert rows == [ImportRow("Alien", 1979, 8, True, watched_on=date(2023, 12, 31))]


def test_letterboxd_zip_merges_its_csvs_watched_winning_over_the_watchlist() -> None:
    data = zipped(
        {
            "watchlist.csv": PLAIN + "2024-01-01,Heat,1995,u\n2024-01-01,Alien,1979,u\n",
            "watched.csv": PLAIN + "2024-02-01,Alien,1979,u\n",
            "ratings.csv": "Date,Name,Year,Letterboxd URI,Rating\n2024-02-02,Alien,1979,u,5\n",
            "likes/films.csv": PLAIN + "2024-01-01,Liked Only,2000,u\n",
            "profile.csv": "Username\nada\n",
        }
    )
    parsed = parse_upload(data, "letterboxd-ada-2026.zip")
    assert parsed.kind == "letterboxd"
    assert parsed.rows == [
        ImportRow("Heat", 1995, None, False),
        ImportRow("Alien", 1979, 10, True, watched_on=date(2024, 2, 2)),
    ]


def test_a_zip_that_is_not_a_letterboxd_export_is_refused() -> None:
    with pytest.raises(InvalidInput, match="Letterboxd"):
        parse_upload(zipped({"notes.txt": "hello"}))
    with pytest.raises(InvalidInput, match="ZIP"):
        parse_upload(b"PK\x03\x04 broken")


def test_imdb_ratings_are_watched_on_their_date_and_watchlist_rows_are_to_watch() -> None:
    data = (
        "Const,Your Rating,Date Rated,Title,URL,Title Type,Year\n"
        "tt9000001,8,2024-01-01,Zofia's Signal,https://imdb/x,Movie,2011\n"
        "tt9000002,,,Unrated Film,https://imdb/y,Movie,2020\n"
        "tt9000003,7,2024-01-01,A Series,https://imdb/z,TV Series,2020\n"
    )
    parsed = parse_upload(data)
    assert parsed.kind == "imdb" and parsed.skipped == 1
    assert parsed.rows[0] == ImportRow(
        "Zofia's Signal", 2011, 8, True, "tt9000001", date(2024, 1, 1)
    )
    assert parsed.rows[1].watched is False and parsed.rows[1].rating is None


@pytest.mark.parametrize(("stars", "rating"), [("5", 10), ("3.5", 7), ("6", None), ("x", None)])
def test_letterboxd_star_conversion(stars: str, rating: int | None) -> None:
    assert letterboxd_rating(stars) == rating


def test_unknown_csv_is_refused_with_a_clear_message() -> None:
    with pytest.raises(InvalidInput, match="Letterboxd"):
        parse_export(b"a,b\n1,2\n")


class Catalogue:
    """A tiny in-memory catalogue (the port's shape, no HTTP)."""

    def __init__(self, films: list[tuple[int, str, int, str]]) -> None:
        self.films = films

    def search(self, query: str, year: int | None = None) -> list[SearchHit]:
        words = normalised(query).split()
        return [
            SearchHit(i, t, y, None)
            for i, t, y, _ in self.films
            if all(w in normalised(t) for w in words) and (year is None or y == year)
        ]

    def details(self, tmdb_id: int) -> TitleDetails | None:
        return None

    def find_imdb(self, imdb_id: str) -> SearchHit | None:
        return next((SearchHit(i, t, y, None) for i, t, y, m in self.films if m == imdb_id), None)


def test_imdb_rows_match_by_imdb_id_before_title_and_year() -> None:
    """Regression: IMDb rows matched by title only, so a remake took the original's place."""
    catalogue = Catalogue([(1, "Heat", 1995, "tt0113277"), (2, "Heat", 1986, "tt0091209")])
    row = ImportRow("Heat", 1995, 9, True, "tt0091209")
    assert match_row(catalogue, row) == (SearchHit(2, "Heat", 1986, None), [])


def test_ambiguous_titles_come_back_with_candidates() -> None:
    catalogue = Catalogue(
        [(1, "Heat", 1995, "a"), (2, "Heat", 1986, "b"), (3, "Heatwave", 1990, "c")]
    )
    hit, candidates = match_row(catalogue, ImportRow("Heat", None, None, False))
    assert hit is None and [c.tmdb_id for c in candidates] == [1, 2]
    assert match_row(catalogue, ImportRow("heat", 1996, None, False))[0] == SearchHit(
        1, "Heat", 1995, None
    )
    assert match_row(catalogue, ImportRow("Amelie", None, None, False)) == (None, [])
    assert normalised("Amélie!") == "amelie"
