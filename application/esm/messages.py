"""The prompt and reminder emails (plain text and HTML)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Email:
    subject: str
    text: str
    html: str


def prompt_email(
    campaign_name: str, link: str, deadline: datetime, timezone: str, reminder: bool = False
) -> Email:
    local = deadline.astimezone(ZoneInfo(timezone))
    until = f"{local:%H:%M} ({timezone})"
    if reminder:
        subject = f"Reminder: {campaign_name} is waiting for you"
        lead = "A quick reminder: your check-in is still open."
    else:
        subject = f"{campaign_name}: time for a short check-in"
        lead = "It is time for a short check-in. It takes about a minute."
    text = (
        f"Hello,\n\n{lead}\n\n{link}\n\n"
        f"The link can be used once and closes at {until}.\n"
        f"Once opened, please finish it in one go.\n\n-- {campaign_name}\n"
    )
    html = (
        '<!doctype html><html lang="en"><body style="font-family:sans-serif;line-height:1.5">'
        f"<p>Hello,</p><p>{escape(lead)}</p>"
        f'<p><a href="{escape(link, quote=True)}" style="display:inline-block;padding:12px 20px;'
        'background:#1d4ed8;color:#fff;border-radius:6px;text-decoration:none">'
        "Answer now</a></p>"
        f"<p>The link can be used once and closes at {escape(until)}.</p>"
        f"<p>-- {escape(campaign_name)}</p></body></html>"
    )
    return Email(subject=subject, text=text, html=html)
