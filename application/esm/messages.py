"""The participant emails (plain text and HTML): prompts, reminders, join confirmations."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

BUTTON = (
    "display:inline-block;padding:12px 20px;background:#1d4ed8;color:#fff;"
    "border-radius:6px;text-decoration:none"
)


@dataclass(frozen=True)
class Email:
    subject: str
    text: str
    html: str
    headers: dict[str, str] = field(default_factory=dict)


def _html(paragraphs: list[str], link: str, label: str, footer: str = "") -> str:
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        '<!doctype html><html lang="en"><body style="font-family:sans-serif;line-height:1.5">'
        f'{body}<p><a href="{escape(link, quote=True)}" style="{BUTTON}">{escape(label)}</a></p>'
        f"{footer}</body></html>"
    )


def unsubscribe_headers(manage_link: str) -> dict[str, str]:
    """RFC 2369 / RFC 8058: mail clients show an unsubscribe button that posts
    `List-Unsubscribe=One-Click` to this URL (it withdraws the participant)."""
    return {
        "List-Unsubscribe": f"<{manage_link}/unsubscribe>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def prompt_email(
    campaign_name: str,
    link: str,
    deadline: datetime,
    timezone: str,
    reminder: bool = False,
    manage_link: str | None = None,
) -> Email:
    local = deadline.astimezone(ZoneInfo(timezone))
    until = f"{local:%H:%M} ({timezone})"
    if reminder:
        subject = f"Reminder: {campaign_name} is waiting for you"
        lead = "A quick reminder: your check-in is still open."
    else:
        subject = f"{campaign_name}: time for a short check-in"
        lead = "It is time for a short check-in. It takes about a minute."
    manage_text = manage_html = ""
    if manage_link:
        manage_text = f"\nNeed a break, another time of day, or to stop? {manage_link}\n"
        manage_html = (
            '<p style="font-size:90%;color:#555">Need a break, another time of day, or to'
            f' stop? <a href="{escape(manage_link, quote=True)}">Manage your participation</a>'
            "</p>"
        )
    text = (
        f"Hello,\n\n{lead}\n\n{link}\n\n"
        f"The link can be used once and closes at {until}.\n"
        f"Once opened, please finish it in one go.\n{manage_text}\n-- {campaign_name}\n"
    )
    html = (
        '<!doctype html><html lang="en"><body style="font-family:sans-serif;line-height:1.5">'
        f"<p>Hello,</p><p>{escape(lead)}</p>"
        f'<p><a href="{escape(link, quote=True)}" style="{BUTTON}">Answer now</a></p>'
        f"<p>The link can be used once and closes at {escape(until)}.</p>"
        f"{manage_html}<p>-- {escape(campaign_name)}</p></body></html>"
    )
    headers = unsubscribe_headers(manage_link) if manage_link else {}
    return Email(subject=subject, text=text, html=html, headers=headers)


def confirmation_email(campaign_name: str, link: str, valid_until: datetime) -> Email:
    subject = f"Please confirm: joining {campaign_name}"
    paragraphs = [
        "Hello,",
        f"Someone (we hope you) asked to take part in the study {campaign_name!r} with this"
        " address. Please confirm to join; nothing is sent to you before you do.",
    ]
    closing = [
        f"The link works until {valid_until:%Y-%m-%d %H:%M} UTC.",
        "If you did not ask for this, ignore this email: you will not hear from us again.",
    ]
    text = "\n\n".join([*paragraphs, link, *closing]) + f"\n\n-- {campaign_name}\n"
    footer = "".join(f"<p>{escape(p)}</p>" for p in closing)
    return Email(subject, text, _html(paragraphs, link, "Confirm and join", footer))


def already_enrolled_email(campaign_name: str, manage_link: str) -> Email:
    subject = f"You are already taking part in {campaign_name}"
    paragraphs = [
        "Hello,",
        f"Someone (we hope you) asked to join the study {campaign_name!r} with this address."
        " You are already taking part, so nothing has changed.",
        "To pause, change your times or stop, use your own page:",
    ]
    text = "\n\n".join([*paragraphs, manage_link]) + f"\n\n-- {campaign_name}\n"
    return Email(subject, text, _html(paragraphs, manage_link, "Manage your participation"))
