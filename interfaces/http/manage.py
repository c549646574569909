"""The participant's self-service page, `/p/{token}`, linked from every prompt email: pause,
change the time zone or daily window, withdraw, delete my data. Each action is a form post
(signed nonce, same origin) answered with the page and a notice of what was recorded.

`/p/{token}/unsubscribe` is the email's List-Unsubscribe target: RFC 8058's one-click POST
(`List-Unsubscribe=One-Click`, sent by the mail provider, no page involved) withdraws; a GET
only shows the page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from domain.shared.errors import DomainError, InvalidInput
from infrastructure.bootstrap import Container
from interfaces.http import pages
from interfaces.http.deps import ContainerDep
from interfaces.http.errors import ERROR_RESPONSES, status_for

router = APIRouter(responses=ERROR_RESPONSES, tags=["participants"])
HTML: dict[int | str, dict[str, Any]] = {200: {"content": {"text/html": {}}}}
FORM = {
    "requestBody": {
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {"type": "object", "additionalProperties": {"type": "string"}}
            }
        }
    }
}


def _page(
    container: Container,
    token: str,
    notice: str | None = None,
    status: int = 200,
    values: dict[str, str] | None = None,
    error: str | None = None,
    error_field: str | None = None,
) -> Response:
    try:
        page = container.esm.manage_page(token)
    except DomainError as failure:
        return pages.error_page(failure)
    paused = page["paused_until"]
    local = paused.astimezone(ZoneInfo(page["timezone"])) if paused else None
    return pages.render(
        "participant/manage.html",
        status,
        title=page["name"],
        page=page,
        base=f"/p/{token}",
        paused_until_local=f"{local:%Y-%m-%d %H:%M}" if local else None,
        zones=pages.with_zone(pages.zone_choices(), page["timezone"]),
        values=values or {},
        nonce=pages.form_nonce(container, "manage", token),
        notice=notice,
        error=error,
        error_field=error_field,
    )


@router.get("/p/{token}", response_class=HTMLResponse, responses=HTML)
def participant_page(token: str, container: ContainerDep) -> Response:
    """The participant's own page (no account: the link is the credential)."""
    return _page(container, token)


async def _act(
    request: Request,
    container: Container,
    token: str,
    action: Callable[[dict[str, str]], Any],
    notice: Callable[[Any], str],
    confirm: bool = False,
) -> Response:
    form = pages.form_fields(await request.form())
    try:
        pages.check_form(request, container, "manage", token, form.get("_nonce", ""))
        if confirm and form.get("confirm") != "yes":
            raise InvalidInput("tick the box to confirm")
        result = await run_in_threadpool(action, form)
    except InvalidInput as error:
        return _page(container, token, None, 422, form, str(error), "window")
    except DomainError as error:
        return pages.error_page(error)
    return _page(container, token, notice(result))


@router.post("/p/{token}/pause", response_class=HTMLResponse, responses=HTML, openapi_extra=FORM)
async def participant_pause(token: str, request: Request, container: ContainerDep) -> Response:
    """Pauses for `days` (1 to 60): no prompt until then."""

    def run(form: dict[str, str]) -> Any:
        days = form.get("days", "")
        if not days.isdigit():
            raise InvalidInput("days must be a whole number")
        return container.esm.pause_participation(token, int(days))

    return await _act(request, container, token, run, lambda _: "Paused. Enjoy your break.")


@router.post("/p/{token}/resume", response_class=HTMLResponse, responses=HTML, openapi_extra=FORM)
async def participant_resume(token: str, request: Request, container: ContainerDep) -> Response:
    """Ends the pause now; the coming days are planned again."""
    return await _act(
        request,
        container,
        token,
        lambda _: container.esm.resume_participation(token),
        lambda _: "Welcome back: your check-ins resume.",
    )


@router.post(
    "/p/{token}/preferences", response_class=HTMLResponse, responses=HTML, openapi_extra=FORM
)
async def participant_preferences(
    token: str, request: Request, container: ContainerDep
) -> Response:
    """New time zone and/or daily window; future prompts are re-planned."""

    def run(form: dict[str, str]) -> Any:
        return container.esm.change_participant_preferences(
            token,
            form.get("timezone", "").strip(),
            form.get("window_start") or None,
            form.get("window_end") or None,
        )

    return await _act(
        request,
        container,
        token,
        run,
        lambda changed: (
            "Saved: your next check-ins follow your new times." if changed else "Nothing changed."
        ),
    )


@router.post("/p/{token}/withdraw", response_class=HTMLResponse, responses=HTML, openapi_extra=FORM)
async def participant_withdraw(token: str, request: Request, container: ContainerDep) -> Response:
    """Stops taking part (needs `confirm=yes`); future prompts are cancelled."""
    return await _act(
        request,
        container,
        token,
        lambda _: container.esm.withdraw_self(token),
        lambda _: "You have withdrawn. Thank you for taking part.",
        confirm=True,
    )


@router.post("/p/{token}/erase", response_class=HTMLResponse, responses=HTML, openapi_extra=FORM)
async def participant_erase(token: str, request: Request, container: ContainerDep) -> Response:
    """Withdraws, erases the email from the vault and drops the answers from the study's
    data (needs `confirm=yes`)."""
    return await _act(
        request,
        container,
        token,
        lambda _: container.esm.erase_self(token),
        lambda _: "Your data has been erased.",
        confirm=True,
    )


@router.get("/p/{token}/unsubscribe", response_class=HTMLResponse, responses=HTML)
def participant_unsubscribe_page(token: str, container: ContainerDep) -> Response:
    """What a person who follows the List-Unsubscribe link sees: the page (nothing changes)."""
    return _page(container, token)


@router.post(
    "/p/{token}/unsubscribe",
    response_class=PlainTextResponse,
    responses={200: {"content": {"text/plain": {}}}},
    openapi_extra=FORM,
)
async def participant_unsubscribe(
    token: str, request: Request, container: ContainerDep
) -> Response:
    """RFC 8058 one-click unsubscribe (body `List-Unsubscribe=One-Click`): withdraws."""
    form = pages.form_fields(await request.form())
    if form.get("List-Unsubscribe") != "One-Click":
        return PlainTextResponse("expected List-Unsubscribe=One-Click", status_code=422)
    try:
        await run_in_threadpool(container.esm.withdraw_self, token)
    except DomainError as error:
        return PlainTextResponse(str(error), status_code=status_for(error))
    return PlainTextResponse("unsubscribed: you receive no more check-ins")
