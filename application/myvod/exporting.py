"""Export my data: a Letterboxd-compatible CSV (watched films, or the watchlist) and
everything as JSON. Read from the read models; writes nothing."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from typing import Any
from uuid import UUID

from application.myvod import list_queries, queries
from application.myvod.base import MyVODBase
from domain.myvod.ids import watchlist_id_for
from domain.shared.errors import InvalidInput

FORMATS = ("letterboxd", "letterboxd_watchlist", "json")
LETTERBOXD_COLUMNS = ("tmdbID", "Title", "Year", "WatchedDate", "Rating10", "Review")
"""Columns of Letterboxd's import format (letterboxd.com/about/importing-data): the tmdbID
matches the film exactly; Rating10 is 1-10; Review carries the private note."""


def letterboxd_csv(items: list[dict[str, Any]], watched: bool) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(LETTERBOXD_COLUMNS if watched else LETTERBOXD_COLUMNS[:3])
    for item in items:
        if (item["status"] == "watched") != watched:
            continue
        row = [item["tmdb_id"], item["title"] or "", item["year"] or ""]
        if watched:
            when: datetime | None = item["watched_at"]
            row += [
                when.date().isoformat() if when else "",
                item["rating"] or "",
                item["note"] or "",
            ]
        writer.writerow([_safe(cell) for cell in row])
    return buffer.getvalue()


def _safe(cell: Any) -> Any:
    """A text cell a spreadsheet would run as a formula starts with a quote instead."""
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + cell
    return cell


class ExportUseCases(MyVODBase):
    def export_data(self, account_id: UUID, format: str) -> tuple[str, str, str]:
        """(body, media type, file name) of my data in `format` (FORMATS)."""
        if format not in FORMATS:
            raise InvalidInput(f"format must be one of {', '.join(FORMATS)}")
        read = self._read()
        view = queries.watchlist_view(read, account_id, posters=self.catalogue)
        if format != "json":
            watched = format == "letterboxd"
            name = "kairos-watched.csv" if watched else "kairos-watchlist.csv"
            return letterboxd_csv(view["items"], watched), "text/csv; charset=utf-8", name
        lists = []
        for row in list_queries.lists_of(read, account_id):
            items = list_queries.list_items(read, row["list_id"], self.catalogue)
            lists.append(
                {
                    "name": row["name"],
                    "role": "owner" if row["owned"] else "member",
                    "items": [
                        {k: i[k] for k in ("tmdb_id", "title", "year", "rank", "tags")}
                        for i in items
                    ],
                }
            )
        feedback = read.fetch_all(
            "SELECT tmdb_id, title, year, verdict, given_at FROM read.myvod_suggestion_feedback"
            " WHERE watchlist_id = %s ORDER BY given_at, key",
            (watchlist_id_for(account_id),),
        )
        body = {
            "format": "kairos-myvod-export",
            "version": 1,
            "exported_at": self.clock().isoformat(),
            "region": view["region"],
            "services": view["services"],
            "watchlist": [
                {
                    k: item[k]
                    for k in (
                        "tmdb_id",
                        "title",
                        "year",
                        "status",
                        "rating",
                        "added_at",
                        "watched_at",
                        "note",
                        "genres",
                    )
                }
                for item in view["items"]
            ],
            "lists": lists,
            "suggestion_feedback": feedback,
        }
        text = json.dumps(body, default=str, ensure_ascii=False, indent=2) + "\n"
        return text, "application/json", "kairos-myvod.json"
