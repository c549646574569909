"""Letterboxd and IMDb exports parse into watched rows with 1-10 ratings."""

from __future__ import annotations

import pytest

from application.myvod.importing import ImportRow, letterboxd_rating, parse_export
from domain.shared.errors import InvalidInput


def test_letterboxd_ratings_export_doubles_stars() -> None:
    data = (
        "\ufeffDate,Name,Year,Letterboxd URI,Rating\n"
        "2024-01-02,The Silent Harbor,2011,https://boxd.it/a,4.5\n"
        '2024-01-03,"Ada\'s Letter, Again",1999,https://boxd.it/b,0.5\n'
        "2024-01-04,No Rating Here,,https://boxd.it/c,\n"
    ).encode()
    kind, rows = parse_export(data)
    assert kind == "letterboxd"
    assert rows == [
        ImportRow("The Silent Harbor", 2011, 9, True),
        ImportRow("Ada's Letter, Again", 1999, 1, True),
        ImportRow("No Rating Here", None, None, True),
    ]


def test_imdb_ratings_are_watched_and_watchlist_rows_are_to_watch() -> None:
    data = (
        "Const,Your Rating,Date Rated,Title,URL,Title Type,Year\n"
        "tt9000001,8,2024-01-01,Zofia's Signal,https://imdb/x,Movie,2011\n"
        "tt9000002,,,Unrated Film,https://imdb/y,Movie,2020\n"
    )
    kind, rows = parse_export(data)
    assert kind == "imdb"
    assert rows[0] == ImportRow("Zofia's Signal", 2011, 8, True, "tt9000001")
    assert rows[1].watched is False and rows[1].rating is None


@pytest.mark.parametrize(("stars", "rating"), [("5", 10), ("3.5", 7), ("6", None), ("x", None)])
def test_letterboxd_star_conversion(stars: str, rating: int | None) -> None:
    assert letterboxd_rating(stars) == rating


def test_unknown_csv_is_refused_with_a_clear_message() -> None:
    with pytest.raises(InvalidInput, match="Letterboxd"):
        parse_export(b"a,b\n1,2\n")
