"""Self-enrollment pages: `/join/{code}` (information sheet, consent, the form) and
`/join/confirm/{token}` (the double opt-in link of the confirmation email). Server-rendered,
mobile-first, usable without JavaScript; the protections of the survey page (pages.py).

Every valid request answers 202 with the same page, whether the address is new, pending,
already enrolled or erased: what happens next is said only in an email to that address.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel

from domain.shared.errors import DomainError, InvalidInput
from infrastructure.bootstrap import Container
from interfaces.http import pages
from interfaces.http.deps import ContainerDep
from interfaces.http.errors import ERROR_RESPONSES

router = APIRouter(responses=ERROR_RESPONSES, tags=["participants"])

FORM_BODY = {
    "requestBody": {
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "required": ["email", "consent", "_nonce"],
                    "properties": {
                        "email": {"type": "string"},
                        "timezone": {"type": "string"},
                        "window_start": {"type": "string", "description": "HH:MM"},
                        "window_end": {"type": "string", "description": "HH:MM"},
                        "consent": {"type": "string", "enum": ["yes"]},
                        "_nonce": {"type": "string", "description": "from the page's form"},
                    },
                }
            }
        },
        "required": True,
    }
}
HTML: dict[str, Any] = {"content": {"text/html": {}}}


class JoinAccepted(BaseModel):
    status: str = "accepted"
    detail: str = "If this address can take part, a confirmation email is on its way."


def _join_form(
    container: Container,
    code: str,
    page: dict[str, Any],
    values: dict[str, str],
    status: int = 200,
    error: str | None = None,
    error_field: str | None = None,
) -> HTMLResponse:
    zones = pages.zone_choices()
    wanted = values.get("timezone") or page["timezone"]
    if wanted:
        zones = pages.with_zone(zones, wanted)
    campaign = container.esm.campaign_for(None, page["campaign_id"])
    return pages.render(
        "participant/join.html",
        status,
        script=True,
        title=page["name"],
        page=page,
        burden=pages.describe_schedule(
            campaign.settings["schedule"], campaign.settings["expiry_minutes"]
        ),
        zones=zones,
        values=values,
        nonce=pages.form_nonce(container, "join", code),
        error=error,
        error_field=error_field,
    )


def _field_of(error: InvalidInput) -> str | None:
    text = str(error)
    for marker, field in (
        ("consent", "consent-field"),
        ("email", "email"),
        ("zone", "timezone"),
        ("window", "window"),
        ("start and the end", "window"),
    ):
        if marker in text:
            return field
    return None


@router.get("/join/{code}", response_class=HTMLResponse, responses={200: HTML})
def join_page(code: str, container: ContainerDep) -> Response:
    """The public join page: information sheet, consent text and the form."""
    try:
        page = container.esm.join_page(code)
    except DomainError as error:
        return pages.error_page(error)
    return _join_form(container, code, page, {})


@router.post(
    "/join/{code}",
    status_code=202,
    response_model=JoinAccepted,
    responses={202: HTML, 410: {"description": "Enrollment is closed"}},
    openapi_extra=FORM_BODY,
)
async def join(code: str, request: Request, container: ContainerDep) -> Response:
    """Asks to join: 202 and a confirmation email (double opt-in), the same answer for any
    valid address; 422 with the form again when a field is wrong; 409 when full."""
    form = pages.form_fields(await request.form())
    wants_json = "application/json" in request.headers.get("accept", "")
    try:
        pages.check_form(request, container, "join", code, form.get("_nonce", ""))
        await run_in_threadpool(
            container.esm.request_to_join,
            code,
            form.get("email", ""),
            form.get("timezone"),
            form.get("window_start"),
            form.get("window_end"),
            form.get("consent") == "yes",
        )
    except InvalidInput as error:
        if wants_json:
            raise
        try:
            page = container.esm.join_page(code)
        except DomainError as other:
            return pages.error_page(other)
        return _join_form(container, code, page, form, 422, str(error), _field_of(error))
    except DomainError as error:
        if wants_json:
            raise
        return pages.error_page(error)
    if wants_json:
        return JSONResponse(JoinAccepted().model_dump(), status_code=202)
    return pages.render("participant/sent.html", 202, title="Check your inbox")


@router.get("/join/confirm/{token}", response_class=HTMLResponse, responses={200: HTML})
def join_confirm_page(token: str, container: ContainerDep) -> Response:
    """The link of the confirmation email: a page with one button (a mail scanner that
    fetches the link confirms nothing)."""
    try:
        page = container.esm.confirmation_page(token)
    except DomainError as error:
        return pages.error_page(error)
    return pages.render(
        "participant/confirm.html",
        title=page["name"],
        page=page,
        manage_url=f"/p/{page['manage_token']}",
        nonce=pages.form_nonce(container, "confirm", token),
    )


@router.post(
    "/join/confirm/{token}",
    response_class=HTMLResponse,
    responses={200: HTML},
    openapi_extra={
        "requestBody": {
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": {"type": "object", "properties": {"_nonce": {"type": "string"}}}
                }
            }
        }
    },
)
async def join_confirm(token: str, request: Request, container: ContainerDep) -> Response:
    """Confirms the enrollment: from now on prompts are planned (once the study runs)."""
    form = pages.form_fields(await request.form())
    try:
        pages.check_form(request, container, "confirm", token, form.get("_nonce", ""))
        result = await run_in_threadpool(container.esm.confirm_enrollment, token)
    except DomainError as error:
        return pages.error_page(error)
    if result["campaign_status"] == "active":
        text = "Your first check-ins are planned; they arrive by email. Thank you!"
    else:
        text = f"The study starts on {result['start_date']}; check-ins then arrive by email."
    return pages.render(
        "participant/done.html",
        title="You are in",
        heading="You are in!" if result["changed"] else "You are already taking part",
        text=text,
        manage_url=f"/p/{result['manage_token']}",
    )
