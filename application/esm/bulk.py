"""Bulk enrollment from a CSV (pasted or uploaded): every row is enrolled on its own and
reported on its own, so one bad address never stops the others. A dry run checks every row
and enrolls nobody. Errors name the row's line, never echo the address."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from domain.esm.enrollment import enrollment_id_for
from domain.esm.schedule import Window
from domain.shared.emails import normalise_email
from domain.shared.errors import DomainError, InvalidInput

MAX_ROWS = 5000
COLUMNS = ("email", "timezone", "window_start", "window_end")


class Semicolon(csv.excel):
    delimiter = ";"  # what spreadsheets in many locales export


@dataclass(frozen=True)
class Row:
    line: int
    email: str
    timezone: str | None
    window_start: str | None
    window_end: str | None


def parse(text: str) -> list[Row]:
    """A header row naming `email` (and optionally the other columns), or one address per
    line. Blank lines are skipped."""
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput("the CSV is empty")
    lines = text.lstrip("\ufeff").splitlines()
    sample = lines[0]
    dialect: type[csv.Dialect] = Semicolon if ";" in sample and "," not in sample else csv.excel
    reader = csv.reader(io.StringIO("\n".join(lines)), dialect)
    rows = list(reader)
    header = [h.strip().lower() for h in rows[0]]
    if "email" in header:
        unknown = [h for h in header if h and h not in COLUMNS]
        if unknown:
            raise InvalidInput(f"unknown column {unknown[0]!r} (known: {', '.join(COLUMNS)})")
        body, first_line = rows[1:], 2
    elif "@" in sample:
        header, body, first_line = ["email"], rows, 1
    else:
        raise InvalidInput("the first row must name the columns (email, timezone, ...)")
    result = []
    for offset, cells in enumerate(body):
        if not any(c.strip() for c in cells):
            continue
        values = {header[i]: c.strip() for i, c in enumerate(cells) if i < len(header)}
        result.append(
            Row(
                line=first_line + offset,
                email=values.get("email", ""),
                timezone=values.get("timezone") or None,
                window_start=values.get("window_start") or None,
                window_end=values.get("window_end") or None,
            )
        )
    if len(result) > MAX_ROWS:
        raise InvalidInput(f"at most {MAX_ROWS} rows at once ({len(result)} given)")
    if not result:
        raise InvalidInput("the CSV has no rows")
    return result


def bulk_enroll(esm: Any, owner_id: UUID, campaign_id: UUID, text: str, dry_run: bool) -> dict:
    """Enrolls (or, dry, checks) each row; returns per-row outcomes."""
    rows = parse(text)
    campaign = esm.campaign_for(owner_id, campaign_id)
    seen: dict[str, int] = {}
    outcomes = []
    for row in rows:
        try:
            email = normalise_email(row.email)
            if email in seen:
                raise InvalidInput(f"the same address as line {seen[email]}")
            seen[email] = row.line
            if dry_run:
                participant = _check(esm, campaign, email, row)
            else:
                participant, _ = esm.enroll(
                    owner_id,
                    campaign_id,
                    email,
                    timezone=row.timezone,
                    window_start=row.window_start,
                    window_end=row.window_end,
                )
            outcomes.append({"line": row.line, "ok": True, "participant": participant})
        except DomainError as error:
            outcomes.append({"line": row.line, "ok": False, "error": str(error)})
    failed = sum(1 for o in outcomes if not o["ok"])
    return {
        "dry_run": dry_run,
        "enrolled": 0 if dry_run else len(outcomes) - failed,
        "failed": failed,
        "rows": outcomes,
    }


def _check(esm: Any, campaign: Any, email: str, row: Row) -> UUID:
    if campaign.status in ("completed", "archived"):
        raise InvalidInput(f"the campaign is {campaign.status}; nobody can join it")
    esm._check_zone(row.timezone or campaign.settings["timezone"])
    if (row.window_start is None) != (row.window_end is None):
        raise InvalidInput("give both window_start and window_end, or neither")
    if row.window_start is not None:
        campaign.check_window(Window.parse(row.window_start, row.window_end))
    participant = enrollment_id_for(campaign.id, esm.vault.subject_for(email))
    existing = esm.get_or_none(participant)
    if existing is not None and existing.status != "withdrawn":
        raise InvalidInput(f"already enrolled as participant {participant} ({existing.status})")
    return participant
