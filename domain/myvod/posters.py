"""Posters are stored as TMDB image *paths* (`/abc.jpg`); the full URL depends on where the
images are served (TMDB's CDN, or the local stand-in's address) and is built when read.
Events recorded before that carry only an absolute URL; its path is read back from it."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

TMDB_IMAGE = re.compile(r"/t/p/[^/]+(/[^/]+)\Z")
"""TMDB image URLs are `<base>/t/p/<size><path>` (developer docs, "Images")."""


def poster_path_of(poster_path: str | None, poster_url: str | None) -> str | None:
    """The stored path, else the path inside an old absolute TMDB image URL, else None."""
    if poster_path:
        return poster_path
    if not poster_url:
        return None
    match = TMDB_IMAGE.search(urlsplit(poster_url).path)
    return match.group(1) if match else None
