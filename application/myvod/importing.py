"""Parsing Letterboxd and IMDb export CSVs into rows the watchlist can take (pure)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from domain.shared.errors import InvalidInput

MAX_ROWS = 5000
MAX_API_ROWS = 1000
"""The API imports synchronously; bigger files go through `kairos myvod import`."""


@dataclass(frozen=True)
class ImportRow:
    title: str
    year: int | None
    rating: int | None
    """1-10 (Letterboxd's 0.5-5 stars doubled)."""
    watched: bool
    imdb_id: str | None = None


def _year(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and 1870 <= int(value) <= 2100 else None


def letterboxd_rating(value: str | None) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        stars = float(value)
    except ValueError:
        return None
    if not 0.5 <= stars <= 5:
        return None
    return max(1, min(10, round(stars * 2)))


def imdb_rating(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and 1 <= int(value) <= 10 else None


def parse_export(data: bytes | str, max_rows: int = MAX_ROWS) -> tuple[str, list[ImportRow]]:
    """Returns ("letterboxd" | "imdb", rows). Letterboxd rows (ratings, watched, diary) are
    watched; IMDb rows are watched when rated, else (a watchlist export) to watch."""
    try:
        return _parse_export(data, max_rows)
    except csv.Error:  # e.g. a stray carriage return inside an unquoted field (found by fuzzing)
        raise InvalidInput("the file is not a readable CSV export") from None


def _parse_export(data: bytes | str, max_rows: int) -> tuple[str, list[ImportRow]]:
    text = data.decode("utf-8-sig", errors="replace") if isinstance(data, bytes) else data
    reader = csv.DictReader(io.StringIO(text))
    fields = {f.strip() for f in reader.fieldnames or []}
    if {"Name", "Year"} <= fields:
        kind = "letterboxd"
    elif {"Const", "Title"} <= fields:
        kind = "imdb"
    else:
        raise InvalidInput(
            "not a Letterboxd (Name, Year, Rating) or IMDb (Const, Title, Year, Your Rating) export"
        )
    rows: list[ImportRow] = []
    for record in reader:
        record = {(k or "").strip(): v for k, v in record.items()}
        if len(rows) >= max_rows:
            raise InvalidInput(f"at most {max_rows} rows per import")
        if kind == "letterboxd":
            title = (record.get("Name") or "").strip()
            row = ImportRow(
                title, _year(record.get("Year")), letterboxd_rating(record.get("Rating")), True
            )
        else:
            title = (record.get("Title") or "").strip()
            rating = imdb_rating(record.get("Your Rating"))
            row = ImportRow(
                title,
                _year(record.get("Year")),
                rating,
                rating is not None,
                (record.get("Const") or "").strip() or None,
            )
        if title:
            rows.append(row)
    return kind, rows
