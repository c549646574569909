"""What the server-rendered participant pages share (join, confirm, self-service): the
templates, the strict headers, the signed form nonce and the same-origin check.

Like the survey page: no-store, a Content-Security-Policy that allows no script except, on
pages that want one, a single inline script carrying a per-response CSP nonce (it only
pre-fills the browser's time zone; every page works without it); forms carry an HMAC nonce
of their purpose, subject and render time, and a cross-site Origin is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from domain.esm.schedule import known_zones
from domain.shared.errors import DomainError, Forbidden
from infrastructure.bootstrap import Container
from interfaces.http.errors import status_for

templates = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent.parent / "web" / "templates"),
    autoescape=select_autoescape(["html"]),
)
NONCE_MAX_AGE_SECONDS = 24 * 3600
BASE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self';"
    " base-uri 'none'; frame-ancestors 'none'"
)


def headers(script_nonce: str | None = None) -> dict[str, str]:
    csp = BASE_CSP + (f"; script-src 'nonce-{script_nonce}'" if script_nonce else "")
    return {
        "Cache-Control": "no-store",
        "Content-Security-Policy": csp,
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
    }


def render(template: str, status: int = 200, script: bool = False, **context: Any) -> HTMLResponse:
    script_nonce = secrets.token_urlsafe(16) if script else None
    html = templates.get_template(template).render(script_nonce=script_nonce, **context)
    return HTMLResponse(html, status_code=status, headers=headers(script_nonce))


def message(status: int, heading: str, text: str, icon: str = "!", **extra: Any) -> HTMLResponse:
    return render(
        "survey/message.html", status, title=heading, icon=icon, heading=heading, text=text, **extra
    )


def error_page(error: DomainError) -> HTMLResponse:
    status = status_for(error)
    headings = {
        404: "This link is not valid",
        410: "This link has closed",
        403: "This form could not be sent",
        409: "That did not work",
    }
    return message(status, headings.get(status, "Something is not right"), str(error))


def form_nonce(container: Container, purpose: str, subject: str, issued: int | None = None) -> str:
    issued = int(time.time()) if issued is None else issued
    key = (container.settings.secret_key or "").encode()
    mac = hmac.new(key, f"{purpose}:{subject}:{issued}".encode(), hashlib.sha256).hexdigest()
    return f"{issued}.{mac[:32]}"


def check_form(
    request: Request, container: Container, purpose: str, subject: str, nonce: str
) -> None:
    check_origin(request, container)
    issued_text, _, _ = nonce.partition(".")
    if not issued_text.isdigit() or time.time() - int(issued_text) > NONCE_MAX_AGE_SECONDS:
        raise Forbidden("the form has expired; open the page again")
    expected = form_nonce(container, purpose, subject, int(issued_text))
    if not hmac.compare_digest(nonce, expected):
        raise Forbidden("the form could not be verified; open the page again")


def check_origin(request: Request, container: Container) -> None:
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return
    public = urlsplit(container.settings.public_url)
    allowed = {
        f"{public.scheme}://{public.netloc}",
        f"{request.url.scheme}://{request.headers.get('host', '')}",
    }
    if origin not in allowed:
        raise Forbidden("this form must be sent from its own page")


def form_fields(form: Any) -> dict[str, str]:
    """The first value of each field, as text (files are refused by the parser limits)."""
    return {key: str(form.get(key, "")) for key in form}


ZONE_REGIONS = (
    "Africa",
    "America",
    "Antarctica",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
)


@lru_cache(maxsize=1)
def zone_choices() -> list[tuple[str, list[str]]]:
    """Canonical IANA zones grouped by region (legacy aliases left out), then UTC."""
    groups: dict[str, list[str]] = {region: [] for region in ZONE_REGIONS}
    for name in sorted(known_zones()):
        region, _, rest = name.partition("/")
        if region in groups and rest:
            groups[region].append(name)
    return [*((r, names) for r, names in groups.items() if names), ("Other", ["UTC"])]


def with_zone(choices: list[tuple[str, list[str]]], name: str) -> list[tuple[str, list[str]]]:
    """The choices, plus `name` when it is a valid zone outside them (an alias)."""
    if any(name in names for _, names in choices):
        return choices
    return [*choices, ("Yours", [name])]


def describe_schedule(schedule: dict[str, Any], expiry_minutes: int) -> str:
    """The burden in one sentence, for people deciding whether to join."""
    window = f"between {schedule['window_start']} and {schedule['window_end']}"
    if schedule["kind"] == "random":
        count = schedule["prompts_per_day"]
        what = f"{count} short check-in{'s' if count != 1 else ''} a day at random moments {window}"
    elif schedule["kind"] == "fixed":
        times = schedule["times"]
        what = f"{len(times)} short check-in{'s' if len(times) != 1 else ''} a day, at " + (
            ", ".join(times)
        )
    else:
        what = f"a short check-in every {schedule['every_minutes']} minutes {window}"
    hours, minutes = divmod(expiry_minutes, 60)
    span = (
        f"{hours} h {minutes} min"
        if hours and minutes
        else f"{hours} h"
        if hours
        else f"{minutes} min"
    )
    return f"{what[0].upper()}{what[1:]}; each stays open for {span}."
