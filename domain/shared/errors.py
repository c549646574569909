"""The domain's error tree.

Each concrete error subclasses one category; the interface layer maps categories to HTTP
status codes in one place (interfaces/http/errors.py), so adding an error never needs a
new mapping.
"""


class DomainError(Exception):
    """A command was refused by a business rule."""


class InvalidInput(DomainError):
    """The command's data breaks a rule of the model (HTTP 422)."""


class NotFound(DomainError):
    """The thing named does not exist, or is not visible to the caller (HTTP 404)."""


class Conflict(DomainError):
    """The command does not fit the current state (HTTP 409)."""


class Forbidden(DomainError):
    """The caller may not do this (HTTP 403)."""


class Unauthorized(DomainError):
    """No or bad credentials (HTTP 401)."""


class Gone(DomainError):
    """The thing existed but is no longer usable, e.g. an expired link (HTTP 410)."""


class RateLimited(DomainError):
    """Over a limit or budget: retry after `retry_after` seconds (HTTP 429)."""

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = max(1, int(retry_after))


class ConcurrencyError(Conflict):
    """Another writer changed the aggregate first; reload and retry."""
