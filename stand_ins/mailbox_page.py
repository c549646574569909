"""The local mailbox as pages a person reads: `GET /mailbox` lists what the SendGrid
stand-in accepted (newest first, `?to=` filters), `GET /mailbox/{n}` shows one message with
its links clickable. `GET /_mailbox` stays the JSON list tests and scripts read."""

from __future__ import annotations

import re
from html import escape
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from stand_ins.sendgrid import STATE

router = APIRouter(include_in_schema=False)
URL = re.compile(r"https?://[^\s<>\"']+")
STYLE = """<style>
body{font-family:system-ui,sans-serif;max-width:56rem;margin:0 auto;padding:1rem;line-height:1.45;
color:#18181b;background:#fff}a{color:#1d4ed8}table{border-collapse:collapse;width:100%}
td,th{text-align:left;padding:.5rem;border-bottom:1px solid #e4e4e7;vertical-align:top}
th{font-size:.8rem;color:#52525b}pre{white-space:pre-wrap;background:#f4f4f5;padding:1rem;
border-radius:.5rem}iframe{width:100%;height:28rem;border:1px solid #e4e4e7;border-radius:.5rem}
.muted{color:#52525b;font-size:.9rem}@media (prefers-color-scheme:dark){body{background:#18181b;
color:#fafafa}a{color:#93c5fd}pre{background:#27272a}th,.muted{color:#a1a1aa}
td,th{border-color:#3f3f46}}</style>"""


def _page(title: str, body: str) -> HTMLResponse:
    return HTMLResponse(
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport"'
        f' content="width=device-width, initial-scale=1"><title>{escape(title)}</title>{STYLE}'
        f"</head><body>{body}</body></html>",
        headers={"Cache-Control": "no-store"},
    )


def _entries() -> list[dict[str, Any]]:
    with STATE.lock:
        return list(STATE.mailbox)


def linkify(text: str) -> str:
    """Plain text as HTML with every URL a link."""
    out, last = [], 0
    for match in URL.finditer(text):
        out.append(escape(text[last : match.start()]))
        url = escape(match.group(0))
        out.append(f'<a href="{url}">{url}</a>')
        last = match.end()
    out.append(escape(text[last:]))
    return "".join(out)


@router.get("/mailbox", response_class=HTMLResponse)
def mailbox_page(to: str | None = None) -> HTMLResponse:
    entries = list(enumerate(_entries()))
    if to:
        entries = [(i, e) for i, e in entries if str(e.get("to", "")).lower() == to.lower()]
    rows = "".join(
        f'<tr><td><a href="/mailbox/{i}">{escape(str(e.get("subject") or "(no subject)"))}</a>'
        f"</td><td>{escape(str(e.get('to', '')))}</td>"
        f'<td class="muted">{escape(str(e.get("received_at", "")))}</td></tr>'
        for i, e in reversed(entries)
    )
    filtered = f" to {escape(to)} (<a href='/mailbox'>all</a>)" if to else ""
    table = (
        f"<table><thead><tr><th>Subject</th><th>To</th><th>Received</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
        if rows
        else "<p>No email yet. Sign up in the app, or run <code>kairos demo</code>.</p>"
    )
    return _page(
        "Local mailbox",
        f"<h1>Local mailbox</h1><p class='muted'>Every email Kairos sent through the local"
        f" SendGrid stand-in{filtered}, newest first. JSON: <a href='/_mailbox'>/_mailbox</a>."
        f"</p>{table}",
    )


@router.get("/mailbox/{index}", response_class=HTMLResponse)
def message_page(index: int) -> HTMLResponse:
    entries = _entries()
    if not 0 <= index < len(entries):
        return HTMLResponse(
            _page("Not found", "<h1>No such message</h1><a href='/mailbox'>Back</a>").body,
            status_code=404,
        )
    entry = entries[index]
    subject = str(entry.get("subject") or "(no subject)")
    html_part = str(entry.get("html") or "")
    text_part = str(entry.get("text") or "")
    html_view = (
        "<h2>As sent (HTML)</h2><iframe title='The email as HTML' sandbox="
        "'allow-popups allow-popups-to-escape-sandbox' srcdoc=\""
        + escape(html_part.replace("<a ", '<a target="_blank" '), quote=True)
        + '"></iframe>'
        if html_part
        else ""
    )
    text_view = f"<h2>Text</h2><pre>{linkify(text_part)}</pre>" if text_part else ""
    return _page(
        subject,
        f"<p><a href='/mailbox'>&larr; All messages</a></p><h1>{escape(subject)}</h1>"
        f"<p class='muted'>To {escape(str(entry.get('to', '')))} ·"
        f" {escape(str(entry.get('received_at', '')))}</p>{text_view}{html_view}",
    )
