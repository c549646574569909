"""Auth routes: sign up (confirmed by email), confirm, token (OAuth2 password flow), refresh.

Sign-up design (docs/reliability.md, "Registration verifies the email"): `POST
/auth/register` creates an unverified account at once, so `POST /auth/token` works right
after it, and emails a confirmation link. Until the link is used the account is sent nothing
else and holds the address for nobody: signing up again with it (the address's real owner,
say) answers 202 and sends that person a link of their own; the link used first wins, with
its sign-up's password, and ends the other claimant's sessions.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel, Field

from application.identity.sessions import IssuedTokens
from domain.shared.errors import DomainError
from infrastructure.bootstrap import Container
from interfaces.http.deps import ContainerDep, PrincipalDep
from interfaces.http.errors import ERROR_RESPONSES, status_for

router = APIRouter(prefix="/auth", tags=["auth"], responses=ERROR_RESPONSES)

READ_YOUR_WRITES_TIMEOUT = 5.0


class RegisterRequest(BaseModel):
    email: str = Field(max_length=254, examples=["ada@example.com"])
    password: str = Field(min_length=8, max_length=1024)


class AccountOut(BaseModel):
    id: UUID
    email: str = Field(description="the address in its canonical form (NFKC, case-folded)")
    roles: list[str]
    verified: bool = Field(
        default=False, description="false until the emailed confirmation link is used"
    )


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"


class RefreshRequest(BaseModel):
    refresh_token: str = Field(max_length=4096)


class VerifyRequest(BaseModel):
    token: str = Field(max_length=200)


class LinkResent(BaseModel):
    sent_to: str = Field(description="the address the link goes to")


class Verified(BaseModel):
    id: UUID
    verified: bool = True


@router.post(
    "/register",
    status_code=201,
    response_model=AccountOut,
    responses={
        202: {
            "model": AccountOut,
            "description": "The address belongs to an unconfirmed account: a confirmation"
            " link was emailed to it; using it makes this sign-up (and password) the account's",
        },
        409: {"description": "The address belongs to a confirmed account"},
    },
)
def register(body: RegisterRequest, container: ContainerDep) -> Response:
    signed = container.identity.sign_up(body.email, body.password)
    container.database.wait_for("accounts", "identity", signed.position, READ_YOUR_WRITES_TIMEOUT)
    account = AccountOut(id=signed.account_id, email=signed.email, roles=["member"])
    return JSONResponse(account.model_dump(mode="json"), status_code=201 if signed.created else 202)


@router.post(
    "/verify",
    response_model=Verified,
    responses={
        200: {"content": {"text/html": {}}, "description": "Confirmed (JSON or an HTML page)"},
        410: {"description": "The link has expired"},
    },
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {"schema": VerifyRequest.model_json_schema()},
                "application/x-www-form-urlencoded": {
                    "schema": {"type": "object", "properties": {"token": {"type": "string"}}}
                },
            },
            "required": True,
        }
    },
)
async def verify(request: Request, container: ContainerDep) -> Response:
    """Confirms the address with the emailed link's token: JSON `{token}` or the form of
    the link's page (`GET /auth/verify?token=`). Using a link twice is fine."""
    if request.headers.get("content-type", "").startswith("application/json"):
        token = VerifyRequest.model_validate_json(await request.body()).token
        account_id = await run_in_threadpool(_verify, container, token)
        return JSONResponse(Verified(id=account_id).model_dump(mode="json"))
    form = await request.form()
    try:
        await run_in_threadpool(_verify, container, str(form.get("token", ""))[:200])
    except DomainError as error:
        return _page(status_for(error), "This link does not work", str(error))
    return _page(200, "Email address confirmed", "Thank you. You can close this page.")


def _verify(container: Container, token: str) -> UUID:
    account_id, position = container.identity.verify_email(token)
    container.database.wait_for("accounts", "identity", position, READ_YOUR_WRITES_TIMEOUT)
    return account_id


@router.post(
    "/verify/resend",
    status_code=202,
    response_model=LinkResent,
    responses={
        409: {"description": "The address is already confirmed"},
        429: {"description": "Sent less than a minute ago, or six times already"},
    },
)
def resend_verification(principal: PrincipalDep, container: ContainerDep) -> LinkResent:
    """Emails the signed-in account's confirmation link again (valid three days from now).
    At most once a minute and six times in all per link."""
    container.identity.resend_verification(principal.account_id)
    return LinkResent(sent_to=container.identity.email_of(principal.account_id) or "")


@router.get("/verify", response_class=HTMLResponse, include_in_schema=False)
def verify_page(token: Annotated[str, Query(max_length=200)] = "") -> HTMLResponse:
    """The emailed link opens a page with a button, so a mail scanner that follows links
    does not confirm anything by itself."""
    from interfaces.http.survey import PAGE_HEADERS, templates

    html = templates.get_template("survey/confirm.html").render(
        title="Confirm your email address", token=token
    )
    return HTMLResponse(html, headers=PAGE_HEADERS)


def _page(status: int, heading: str, text: str) -> HTMLResponse:
    from interfaces.http.survey import PAGE_HEADERS, templates

    html = templates.get_template("survey/message.html").render(
        title=heading, icon="✓" if status == 200 else "!", heading=heading, text=text
    )
    return HTMLResponse(html, status_code=status, headers=PAGE_HEADERS)


@router.post("/token", response_model=TokenPair)
def token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], container: ContainerDep
) -> TokenPair:
    """Also throttled per account, whatever the client's address: after 10 failed attempts
    in 15 minutes the account refuses sign-ins (429 with Retry-After) until the window ends."""
    return _pair(container.sign_ins.sign_in(form.username, form.password))


@router.post("/refresh", response_model=TokenPair)
def refresh(body: RefreshRequest, container: ContainerDep) -> TokenPair:
    """Rotates the refresh token: each is single-use; reusing one revokes its family."""
    return _pair(container.sign_ins.refresh(body.refresh_token))


def _pair(issued: IssuedTokens) -> TokenPair:
    return TokenPair(access_token=issued.access_token, refresh_token=issued.refresh_token)
