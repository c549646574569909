"""The participant's page: `/s/{token}`. No account: the unguessable token in the path is the
credential. HTML by default (mobile-first, accessible, no JavaScript needed), JSON for app
clients that send `Accept: application/json` or post JSON.

Forms carry a per-render nonce (an HMAC of the token and the render time with the server
secret), and a cross-site Origin is refused, so another site cannot post answers in a
participant's name even if it learned nothing but the page's shape.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import BaseModel, Field
from starlette.datastructures import ImmutableMultiDict

from domain.esm.questionnaire import InvalidAnswer
from domain.shared.errors import DomainError, Forbidden, InvalidInput
from infrastructure.bootstrap import Container
from interfaces.http.deps import ContainerDep
from interfaces.http.errors import ERROR_RESPONSES, status_for
from interfaces.http.survey_logic import condition_hint

router = APIRouter(responses=ERROR_RESPONSES, tags=["participants"])
TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "web" / "templates"
templates = Environment(
    loader=FileSystemLoader(TEMPLATES_DIR),
    autoescape=select_autoescape(["html"]),
)


def _number(value: Any) -> str:
    """12.0 -> "12", 0.5 -> "0.5": numbers as a person writes them."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _midpoint(question: dict[str, Any]) -> str:
    low, high, step = question["min"], question["max"], question["step"]
    return _number(low + round((high - low) / 2 / step) * step)


templates.filters["number"] = _number
templates.filters["midpoint"] = _midpoint
templates.filters["condition"] = condition_hint
NONCE_MAX_AGE_SECONDS = 24 * 3600
SLIDER_SCRIPT = (TEMPLATES_DIR / "survey" / "slider.js").read_text().strip()
"""Progressive enhancement of slider questions (inline; allowed by its hash in the CSP)."""
LOGIC_SCRIPT = (TEMPLATES_DIR / "survey" / "logic.js").read_text().strip()
"""Show-if conditions evaluated live in the page (the same rules as domain/esm/logic.py)."""


def _script_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'; script-src "
        + " ".join(_script_hash(s) for s in (SLIDER_SCRIPT, LOGIC_SCRIPT))
    ),
}
PAGES = {
    404: ("?", "This link is not valid", "Please check that you opened the whole link."),
    409: ("✓", "Already answered", "Thank you: this check-in has already been answered."),
    410: ("⏱", "This check-in has closed", "The time to answer it has passed. Thank you anyway!"),
    403: ("!", "This form could not be sent", "Please open the link from your email again."),
}


class Question(BaseModel):
    id: str
    type: str
    text: str
    required: bool
    min: float | None = None
    max: float | None = None
    step: float | None = None
    points: int | None = None
    labels: list[str] | None = None
    options: list[str] | None = None
    max_length: int | None = None
    show_if: dict[str, Any] | None = Field(
        None, description="Shown only when {question, equals|in|gt|lt: value} holds"
    )


class Survey(BaseModel):
    campaign: str
    description: str
    questions: list[Question] = Field(
        description="In the order this prompt shows them (and options in their order)"
    )
    deadline: datetime = Field(description="Answer before this moment")


class Submission(BaseModel):
    answers: dict[str, Any] = Field(description="question id -> answer")


class Receipt(BaseModel):
    status: str = "answered"
    answered_at: datetime


def _wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def _nonce(container: Container, token: str, issued: int | None = None) -> str:
    issued = int(time.time()) if issued is None else issued
    key = (container.settings.secret_key or "").encode()
    mac = hmac.new(key, f"survey:{token}:{issued}".encode(), hashlib.sha256).hexdigest()
    return f"{issued}.{mac[:32]}"


def _check_nonce(container: Container, token: str, nonce: str) -> None:
    issued_text, _, _ = nonce.partition(".")
    if not issued_text.isdigit() or time.time() - int(issued_text) > NONCE_MAX_AGE_SECONDS:
        raise Forbidden("the form has expired; open the link again")
    if not hmac.compare_digest(nonce, _nonce(container, token, int(issued_text))):
        raise Forbidden("the form could not be verified; open the link again")


def _check_origin(request: Request, container: Container) -> None:
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return
    allowed = {
        f"{urlsplit(container.settings.public_url).scheme}://"
        f"{urlsplit(container.settings.public_url).netloc}",
        f"{request.url.scheme}://{request.headers.get('host', '')}",
    }
    if origin not in allowed:
        raise Forbidden("answers must be sent from the survey page itself")


def _page(status: int, title: str, icon: str, heading: str, text: str) -> HTMLResponse:
    html = templates.get_template("survey/message.html").render(
        title=title, icon=icon, heading=heading, text=text
    )
    return HTMLResponse(html, status_code=status, headers=PAGE_HEADERS)


def _error_page(error: DomainError) -> HTMLResponse:
    status = status_for(error)
    icon, heading, text = PAGES.get(status, ("!", "Something is not right", str(error)))
    return _page(status, heading, icon, heading, text)


def _form(
    container: Container,
    token: str,
    survey: dict[str, Any],
    values: Any,
    status: int = 200,
    error: InvalidInput | None = None,
) -> HTMLResponse:
    local = survey["deadline"].astimezone(ZoneInfo(survey["timezone"]))
    errors: dict[str, str] = {}
    if isinstance(error, InvalidAnswer):
        for question_id, problem in error.problems:
            errors.setdefault(question_id, problem)
    texts = {q["id"]: q["text"] for q in survey["questions"]}
    html = templates.get_template("survey/form.html").render(
        title=survey["campaign"],
        survey=survey,
        deadline_local=f"{local:%H:%M}",
        nonce=_nonce(container, token),
        values=values,
        error=str(error) if error and not errors else None,
        errors=errors,
        summary=[(qid, texts.get(qid, qid), problem) for qid, problem in errors.items()],
        slider_script=SLIDER_SCRIPT,
        logic=any(q.get("show_if") for q in survey["questions"]),
        logic_script=LOGIC_SCRIPT,
    )
    return HTMLResponse(html, status_code=status, headers=PAGE_HEADERS)


@router.get(
    "/s/{token}",
    response_model=Survey,
    responses={
        200: {"content": {"text/html": {}}, "description": "The form (HTML or JSON)"},
        410: {"description": "The link has expired"},
    },
)
def show_survey(token: str, request: Request, container: ContainerDep) -> Response:
    """Opens the survey; the first open starts the completion window."""
    if _wants_json(request):
        survey = container.esm.open_survey(token)
        return JSONResponse(
            Survey(**survey).model_dump(mode="json"), headers={"Cache-Control": "no-store"}
        )
    try:
        survey = container.esm.open_survey(token)
    except DomainError as error:
        return _error_page(error)
    return _form(container, token, survey, ImmutableMultiDict())


@router.post(
    "/s/{token}",
    status_code=201,
    response_model=Receipt,
    responses={
        201: {"content": {"text/html": {}}, "description": "Answers recorded"},
        410: {"description": "The link has expired"},
    },
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {"schema": Submission.model_json_schema()},
                "application/x-www-form-urlencoded": {
                    "schema": {"type": "object", "additionalProperties": True}
                },
            },
            "required": True,
        }
    },
)
async def submit_survey(token: str, request: Request, container: ContainerDep) -> Response:
    """Records the answers once: again -> 409, after the deadline -> 410, invalid -> 422
    naming the question, unknown link -> 404."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        return await _submit_json(token, request, container)
    form = await request.form()
    try:
        _check_origin(request, container)
        _check_nonce(container, token, str(form.get("_nonce", "")))
        fields = {key: [str(v) for v in form.getlist(key)] for key in form}
        await run_in_threadpool(container.esm.answer, token, fields, from_form=True)
    except InvalidInput as error:
        try:
            survey = await run_in_threadpool(container.esm.open_survey, token)
        except DomainError as other:
            return _error_page(other)
        return _form(container, token, survey, form, status=422, error=error)
    except DomainError as error:
        return _error_page(error)
    return _page(
        201,
        "Thank you",
        "✓",
        "Thank you!",
        "Your answers have been recorded. You can close this page.",
    )


async def _submit_json(token: str, request: Request, container: ContainerDep) -> Response:
    _check_origin(request, container)
    try:
        body = json.loads(await request.body())
    except ValueError:
        raise InvalidInput("the body is not valid JSON") from None
    if not isinstance(body, dict) or not isinstance(body.get("answers"), dict):
        raise InvalidInput('the body must be {"answers": {question_id: value}}')
    answered = await run_in_threadpool(container.esm.answer, token, body["answers"])
    receipt = Receipt(answered_at=answered.answered_at)
    return JSONResponse(receipt.model_dump(mode="json"), status_code=201)
