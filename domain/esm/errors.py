"""The refusals of the prompt's commands, each a named error of one category (409 or 410 in
interfaces/http/errors.py)."""

from __future__ import annotations

from domain.shared.errors import Conflict, Gone


class AlreadyAnswered(Conflict):
    pass


class PromptNotOpen(Conflict):
    pass


class PromptExpired(Gone):
    pass


class PromptNotClaimable(Conflict):
    """Not due, or already claimed by a sender whose lease still runs."""


class NoReminderDue(Conflict):
    pass


class PromptNotOverdue(Conflict):
    pass


class PromptNotCancellable(Conflict):
    """Only a prompt that was not sent yet can be cancelled."""


class PromptCancelled(Gone):
    pass


class EnrollmentWithdrawn(Conflict):
    pass


class EnrollmentActive(Conflict):
    pass


class EnrollmentNotPending(Conflict):
    pass
