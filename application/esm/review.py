"""The review checklist shown before Launch: what a participant will live through (burden,
nights, dates, zones), who will receive it, and whether mail can leave at all."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

BURDEN_WARNING = 10


@dataclass(frozen=True)
class MailSetup:
    sender: str
    configured: bool
    """An API key is set (the real provider, or the local fake that `kairos up` starts)."""
    local_fake: bool
    public_url: str


def _item(key: str, level: str, message: str) -> dict[str, str]:
    return {"key": key, "level": level, "message": message}


def checklist(
    campaign: dict[str, Any],
    simulation: dict[str, Any],
    participants: int,
    today: date,
    mail: MailSetup,
) -> dict[str, Any]:
    items = []
    start, end = campaign["start_date"], campaign["end_date"]
    if campaign["status"] != "draft":
        items.append(_item("status", "info", f"The campaign is {campaign['status']}."))
    if end < today:
        items.append(_item("dates", "error", f"The end date {end} has passed: nothing to run."))
    elif start < today:
        items.append(
            _item("dates", "warning", f"The start date {start} has passed: it runs until {end}.")
        )
    else:
        days = (end - start).days + 1
        items.append(_item("dates", "ok", f"{start} to {end} ({days} days)."))
    per_day = simulation["prompts_per_participant_day"]
    level = "warning" if per_day > BURDEN_WARNING else "ok"
    items.append(
        _item(
            "burden",
            level,
            f"About {per_day} prompts a participant a day ({simulation['emails']} emails at"
            f" most for one participant over the whole campaign).",
        )
    )
    if simulation["night_prompts"]:
        items.append(
            _item(
                "night",
                "warning",
                f"{simulation['night_prompts']} prompts fall between 22:00 and 07:00.",
            )
        )
    changes = simulation["calendar"]["dst_changes"]
    zone_text = f"Participants' default time zone: {campaign['timezone']}."
    if changes:
        zone_text += " Daylight saving changes on " + ", ".join(str(d) for d in changes) + "."
    items.append(_item("timezones", "ok", zone_text))
    joining = campaign.get("self_enrollment") or {}
    if participants == 0 and not joining.get("open"):
        items.append(
            _item(
                "participants",
                "warning",
                "Nobody is enrolled and self-enrollment is closed: no one will be prompted.",
            )
        )
    else:
        text = f"{participants} participant{'s' if participants != 1 else ''} enrolled"
        text += "; self-enrollment is open." if joining.get("open") else "."
        items.append(_item("participants", "ok", text))
    if not mail.configured:
        items.append(_item("mail", "error", "No mail provider key is set: no email can leave."))
    elif mail.local_fake:
        items.append(_item("mail", "info", f"Emails go to the local mailbox, from {mail.sender}."))
    else:
        items.append(_item("mail", "ok", f"Emails are sent from {mail.sender}."))
    if "127.0.0.1" in mail.public_url or "localhost" in mail.public_url:
        items.append(
            _item(
                "links",
                "warning",
                f"Links point to {mail.public_url}: only this machine can open them.",
            )
        )
    return {"ready": not any(i["level"] == "error" for i in items), "items": items}
