"""Posters are stored as paths; an older event's absolute URL gives its path back."""

from __future__ import annotations

import pytest

from domain.myvod.posters import poster_path_of


@pytest.mark.parametrize(
    ("path", "url", "expected"),
    [
        ("/abc.jpg", "http://127.0.0.1:1/t/p/w342/old.jpg", "/abc.jpg"),
        (None, "http://127.0.0.1:40591/t/p/w342/kairos100001.svg", "/kairos100001.svg"),
        (None, "https://image.tmdb.org/t/p/original/xyz.jpg", "/xyz.jpg"),
        (None, "https://elsewhere.example/poster.jpg", None),
        (None, None, None),
    ],
)
def test_an_old_absolute_poster_url_gives_its_path_back(
    path: str | None, url: str | None, expected: str | None
) -> None:
    assert poster_path_of(path, url) == expected
