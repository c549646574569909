"""The one place where domain errors become HTTP statuses."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from domain.shared.errors import (
    Conflict,
    DomainError,
    Forbidden,
    Gone,
    InvalidInput,
    NotFound,
    RateLimited,
    Unauthorized,
)

log = logging.getLogger("kairos.api")

STATUS_BY_CATEGORY: tuple[tuple[type[DomainError], int], ...] = (
    (InvalidInput, 422),
    (NotFound, 404),
    (Conflict, 409),
    (Forbidden, 403),
    (Unauthorized, 401),
    (Gone, 410),
    (RateLimited, 429),
)


class TooManyRequests(RateLimited):
    pass


def status_for(error: DomainError) -> int:
    for category, status in STATUS_BY_CATEGORY:
        if isinstance(error, category):
            return status
    return 400


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RateLimited)
    async def too_many(_: Request, error: RateLimited) -> JSONResponse:
        return JSONResponse(
            {"detail": str(error)}, status_code=429, headers={"Retry-After": str(error.retry_after)}
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, error: RequestValidationError) -> JSONResponse:
        # FastAPI's shape, minus the submitted values: they may be passwords or emails.
        errors = [{k: v for k, v in e.items() if k not in ("input", "url")} for e in error.errors()]
        return JSONResponse({"detail": jsonable_encoder(errors)}, status_code=422)

    @app.exception_handler(DomainError)
    async def domain_error(_: Request, error: DomainError) -> JSONResponse:
        status = status_for(error)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        # Errors may name safe extra fields (e.g. which participant an email already is).
        body = {"detail": str(error), **getattr(error, "public_fields", {})}
        return JSONResponse(body, status_code=status, headers=headers)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        # Never a stack trace or personal data in the body; the log has the type only.
        log.error("unhandled %s on %s %s", type(error).__name__, request.method, request.url.path)
        return JSONResponse({"detail": "internal error"}, status_code=500)


ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    400: {"description": "Bad request"},
    401: {"description": "Missing or invalid token"},
    403: {"description": "Not allowed"},
    404: {"description": "Not found"},
    409: {"description": "Conflict with the current state"},
    413: {"description": "Request body too large"},
    422: {"description": "Invalid input"},
    429: {"description": "Too many requests"},
}
