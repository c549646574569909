"""Parsing Letterboxd and IMDb exports into rows the watchlist can take (pure).

Letterboxd: the export ZIP (watchlist.csv, watched.csv, diary.csv, ratings.csv, reviews.csv;
lists and likes are ignored) or one of its CSVs. watchlist.csv rows are to watch; watched,
diary, ratings and reviews rows are watched, on the date they carry (diary's "Watched Date",
else the row's "Date"), with Letterboxd's 0.5-5 stars doubled to 1-10. A film in several
files becomes one row (watched wins over the watchlist, the latest date and rating win).
A bare CSV with Letterboxd's plain columns (Date, Name, Year, Letterboxd URI) is a watchlist
unless its file name says "watched".

IMDb: a ratings or watchlist CSV (Const, Title, Year, Your Rating, Date Rated, Title Type):
rated rows are watched on their "Date Rated", the others to watch; the IMDb id (tt...) is
kept so matching tries it first. Rows that are not films (series, episodes) are skipped.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, replace
from datetime import date
from pathlib import PurePosixPath

from domain.shared.errors import InvalidInput

MAX_ROWS = 5000
MAX_API_ROWS = 1000
"""The API imports synchronously; bigger files go through `kairos myvod import`."""
MAX_UNZIPPED = 20_000_000
"""Bytes of CSV read from a ZIP at most (a zip bomb is refused, not inflated)."""
LETTERBOXD_FILES = ("watchlist.csv", "watched.csv", "diary.csv", "ratings.csv", "reviews.csv")
NOT_FILMS = {
    "tv series",
    "tv mini series",
    "tv episode",
    "tvseries",
    "tvminiseries",
    "tvepisode",
    "podcast series",
    "podcast episode",
    "video game",
    "tv special",
}


@dataclass(frozen=True)
class ImportRow:
    title: str
    year: int | None
    rating: int | None
    """1-10 (Letterboxd's 0.5-5 stars doubled)."""
    watched: bool
    imdb_id: str | None = None
    watched_on: date | None = None


@dataclass(frozen=True)
class ParsedExport:
    kind: str
    """"letterboxd" or "imdb"."""
    rows: list[ImportRow]
    skipped: int = 0
    """Rows without a title, or that are not films."""


def _year(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and 1870 <= int(value) <= 2100 else None


def _date(value: str | None) -> date | None:
    value = (value or "").strip()[:10]
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        return None
    return parsed if 1870 <= parsed.year <= 2100 else None


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


def parse_export(
    data: bytes | str, max_rows: int = MAX_ROWS, filename: str | None = None
) -> tuple[str, list[ImportRow]]:
    parsed = parse_upload(data, filename, max_rows)
    return parsed.kind, parsed.rows


def parse_upload(
    data: bytes | str, filename: str | None = None, max_rows: int = MAX_ROWS
) -> ParsedExport:
    """Returns the rows of a Letterboxd ZIP or CSV, or of an IMDb CSV."""
    if isinstance(data, bytes) and data[:4] == b"PK\x03\x04":
        return _parse_zip(data, max_rows)
    try:
        return _parse_csv(data, filename, max_rows)
    except csv.Error:  # e.g. a stray carriage return inside an unquoted field (found by fuzzing)
        raise InvalidInput("the file is not a readable CSV export") from None


def _parse_zip(data: bytes, max_rows: int) -> ParsedExport:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = {
            PurePosixPath(i.filename).name.lower(): i
            for i in archive.infolist()
            if "/" not in i.filename.strip("/") and not i.is_dir()
        }
    except zipfile.BadZipFile:
        raise InvalidInput("the file is not a readable ZIP archive") from None
    wanted = [members[name] for name in LETTERBOXD_FILES if name in members]
    if not wanted:
        raise InvalidInput(
            "the ZIP holds none of Letterboxd's watchlist.csv, watched.csv, diary.csv or"
            " ratings.csv"
        )
    if sum(i.file_size for i in wanted) > MAX_UNZIPPED:
        raise InvalidInput("the export is too large to import at once")
    parts: list[ParsedExport] = []
    for info in wanted:
        with archive.open(info) as member:
            text = member.read(MAX_UNZIPPED + 1)
        if len(text) > MAX_UNZIPPED:
            raise InvalidInput("the export is too large to import at once")
        try:
            part = _parse_csv(text, info.filename, MAX_ROWS * 4)
        except csv.Error:
            raise InvalidInput(f"{info.filename} is not a readable CSV") from None
        if part.kind != "letterboxd":
            raise InvalidInput(f"{info.filename} is not a Letterboxd export")
        parts.append(part)
    rows = merge_rows([row for part in parts for row in part.rows])
    if len(rows) > max_rows:
        raise InvalidInput(f"at most {max_rows} films per import")
    return ParsedExport("letterboxd", rows, sum(p.skipped for p in parts))


def _parse_csv(data: bytes | str, filename: str | None, max_rows: int) -> ParsedExport:
    text = data.decode("utf-8-sig", errors="replace") if isinstance(data, bytes) else data
    reader = csv.DictReader(io.StringIO(text))
    fields = {f.strip() for f in reader.fieldnames or []}
    name = PurePosixPath(filename or "").name.lower()
    if {"Name", "Year"} <= fields:
        kind = "letterboxd"
        watched_file = "Rating" in fields or "Watched Date" in fields or "watched" in name
    elif {"Const", "Title"} <= fields:
        kind, watched_file = "imdb", False
    else:
        raise InvalidInput(
            "not a Letterboxd export (ZIP, or a CSV with Name, Year) or an IMDb CSV"
            " (Const, Title, Year, Your Rating)"
        )
    rows: list[ImportRow] = []
    skipped = 0
    for count, record in enumerate(reader, start=1):
        if count > max_rows:
            raise InvalidInput(f"at most {max_rows} rows per import")
        record = {(k or "").strip(): (v if isinstance(v, str) else "") for k, v in record.items()}
        row = _letterboxd(record, watched_file) if kind == "letterboxd" else _imdb(record)
        if row is None:
            skipped += 1
        else:
            rows.append(row)
    return ParsedExport(kind, merge_rows(rows), skipped)


def _letterboxd(record: dict[str, str], watched_file: bool) -> ImportRow | None:
    title = (record.get("Name") or "").strip()
    if not title:
        return None
    watched_on = _date(record.get("Watched Date")) or _date(record.get("Date"))
    return ImportRow(
        title,
        _year(record.get("Year")),
        letterboxd_rating(record.get("Rating")) if watched_file else None,
        watched_file,
        watched_on=watched_on if watched_file else None,
    )


def _imdb(record: dict[str, str]) -> ImportRow | None:
    title = (record.get("Title") or "").strip()
    kind = (record.get("Title Type") or "").strip().lower()
    if not title or kind in NOT_FILMS:
        return None
    rating = imdb_rating(record.get("Your Rating"))
    return ImportRow(
        title,
        _year(record.get("Year")),
        rating,
        rating is not None,
        (record.get("Const") or "").strip() or None,
        _date(record.get("Date Rated")) if rating is not None else None,
    )


def merge_rows(rows: list[ImportRow]) -> list[ImportRow]:
    """One row per film (title and year), in first-seen order: watched wins over to watch,
    the latest watched date wins, and its rating (or the latest known one)."""
    merged: dict[tuple[str, int | None, str | None], ImportRow] = {}
    for row in rows:
        key = (row.title.casefold(), row.year, row.imdb_id)
        seen = merged.get(key)
        if seen is None:
            merged[key] = row
            continue
        later = row if (row.watched_on or date.min) >= (seen.watched_on or date.min) else seen
        merged[key] = replace(
            seen,
            watched=seen.watched or row.watched,
            watched_on=later.watched_on or seen.watched_on or row.watched_on,
            rating=later.rating if later.rating is not None else (seen.rating or row.rating),
        )
    return list(merged.values())
