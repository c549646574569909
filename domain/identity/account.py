"""The Account aggregate: who may log in, and with which roles."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.shared.errors import Conflict, Gone, InvalidInput, NotFound, RateLimited

VERIFICATION_VALID_FOR = timedelta(days=3)
MAX_PENDING_CLAIMS = 5
RESEND_AFTER = timedelta(minutes=1)
MAX_RESENDS = 5
"""A claim's link is sent at most 1 + MAX_RESENDS times, a minute apart at the fastest, so a
stranger who signed up with someone else's address cannot flood that inbox."""


class Role(StrEnum):
    MEMBER = "member"
    RESEARCHER = "researcher"
    AUDITOR = "auditor"
    ANALYST = "analyst"
    ADMIN = "admin"


class AccountDisabled(Conflict):
    pass


class UnknownRole(InvalidInput):
    pass


class EmailAlreadyRegistered(Conflict):
    pass


class UnknownVerification(NotFound):
    pass


class AlreadyVerified(Conflict):
    pass


class VerificationExpired(Gone):
    pass


def parse_roles(names: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    roles: list[str] = []
    for name in names:
        try:
            role = Role(name).value
        except ValueError:
            raise UnknownRole(
                f"unknown role {name!r}; choose from {', '.join(r.value for r in Role)}"
            ) from None
        if role not in roles:
            roles.append(role)
    return tuple(roles) or (Role.MEMBER.value,)


class Account(Aggregate):
    """Create with `Account.register(...)`. An account's id is derived from its email (keyed
    hash), so the event store's primary key guarantees one account per email. The email itself
    is stored sealed by the personal-data vault, never in clear.

    Verification: a self-service sign-up is unverified (a `VerificationRequested` claim right
    after `Registered`) until a link sent to the address is used. Until then the account can
    sign in but is sent nothing, and does not hold the address against its real owner: anyone
    signing up with the address again adds a claim with their own password, and whichever
    claim's link is used wins the account (with that claim's password). Accounts created by
    an operator (`kairos users add`), and every account from before verification existed, are
    verified. An erased account is gone for good: no sign-in, no session, no data."""

    class Registered(Aggregate.Created):
        sealed_email: str
        password_hash: str
        roles: tuple[str, ...]

    class RolesGranted(Aggregate.Event):
        roles: tuple[str, ...]

    class PasswordChanged(Aggregate.Event):
        password_hash: str

    class Disabled(Aggregate.Event):
        pass

    class VerificationRequested(Aggregate.Event):
        claim: str
        password_hash: str | None
        """The claimant's password; None when it is the one the account registered with."""
        at: datetime

    class VerificationLinkResent(Aggregate.Event):
        """The same claim's link emailed again, valid for VERIFICATION_VALID_FOR from `at`."""

        claim: str
        at: datetime

    class EmailVerified(Aggregate.Event):
        claim: str
        password_hash: str
        """The account's password from now on (the winning claim's)."""
        at: datetime

    class Erased(Aggregate.Event):
        at: datetime

    @event(Registered)
    def __init__(self, *, sealed_email: str, password_hash: str, roles: tuple[str, ...]) -> None:
        self.sealed_email = sealed_email
        self.password_hash = password_hash
        self.roles = tuple(roles)
        self.disabled = False
        self.verified = True
        self.claims: dict[str, list[str | None]] = {}
        """claim id -> [password hash or None, requested at (ISO)]"""
        self.erased = False
        self.verified_claim: str | None = None
        self.resends: dict[str, int] = {}
        """claim id -> how many times its link was resent"""

    @classmethod
    def register(
        cls, account_id: UUID, sealed_email: str, password_hash: str, roles: tuple[str, ...]
    ) -> Account:
        return cls._create(
            cls.Registered,
            id=account_id,
            sealed_email=sealed_email,
            password_hash=password_hash,
            roles=roles,
        )

    def grant_roles(self, roles: tuple[str, ...]) -> None:
        new = tuple(r for r in parse_roles(list(roles)) if r not in self.roles)
        if new:
            self._roles_granted(roles=new)

    @event(RolesGranted)
    def _roles_granted(self, roles: tuple[str, ...]) -> None:
        self.roles = self.roles + tuple(roles)

    def change_password(self, password_hash: str) -> None:
        self._ensure_enabled()
        self._password_changed(password_hash=password_hash)

    @event(PasswordChanged)
    def _password_changed(self, password_hash: str) -> None:
        self.password_hash = password_hash

    def disable(self) -> None:
        self._ensure_enabled()
        self._disabled()

    @event(Disabled)
    def _disabled(self) -> None:
        self.disabled = True

    def _ensure_enabled(self) -> None:
        if self.disabled:
            raise AccountDisabled("the account is disabled")

    # -- verification ------------------------------------------------------------------
    @classmethod
    def sign_up(
        cls, account_id: UUID, sealed_email: str, password_hash: str, claim: str, at: datetime
    ) -> Account:
        """A self-service member account, unverified until the link of `claim` is used."""
        account = cls.register(account_id, sealed_email, password_hash, (Role.MEMBER.value,))
        account._verification_requested(claim=claim, password_hash=None, at=at)
        return account

    def claim_address(self, claim: str, password_hash: str, at: datetime) -> None:
        """Someone signs up again with an unverified account's address: they get a link of
        their own; a verified address is taken (409)."""
        self._ensure_enabled()
        if self.verified:
            raise EmailAlreadyRegistered("an account with this email already exists")
        self._verification_requested(claim=claim, password_hash=password_hash, at=at)

    @event(VerificationRequested)
    def _verification_requested(self, claim: str, password_hash: str | None, at: datetime) -> None:
        self.verified = False
        claims = dict(self.claims)
        claims[claim] = [password_hash, at.isoformat()]
        while len(claims) > MAX_PENDING_CLAIMS:  # the oldest claims lapse
            claims.pop(next(iter(claims)))
        self.claims = claims

    def resend_verification(self, new_claim: str, at: datetime) -> str:
        """The signed-in owner asks for the link again. They know the account's password, so
        their claim is the one without a password of its own: its link goes out anew (and
        lasts three days from now); when it has lapsed, `new_claim` takes its place. Returns
        the claim whose link is sent."""
        self._ensure_enabled()
        if self.verified:
            raise AlreadyVerified("this email address is already confirmed")
        own = [claim for claim, (password_hash, _) in self.claims.items() if password_hash is None]
        if not own:
            self._verification_requested(claim=new_claim, password_hash=None, at=at)
            return new_claim
        claim = own[-1]
        resent = getattr(self, "resends", {}).get(claim, 0)
        if resent >= MAX_RESENDS:
            raise RateLimited(
                "the link was sent six times already; check the address and your spam folder",
                retry_after=math.ceil(VERIFICATION_VALID_FOR.total_seconds()),
            )
        wait = RESEND_AFTER - (at - datetime.fromisoformat(str(self.claims[claim][1])))
        if wait > timedelta(0):
            raise RateLimited(
                "a link was sent less than a minute ago; check your inbox",
                retry_after=math.ceil(wait.total_seconds()),
            )
        self._verification_link_resent(claim=claim, at=at)
        return claim

    @event(VerificationLinkResent)
    def _verification_link_resent(self, claim: str, at: datetime) -> None:
        claims = dict(self.claims)
        claims[claim] = [claims[claim][0], at.isoformat()]
        self.claims = claims
        resends = dict(getattr(self, "resends", {}))
        resends[claim] = resends.get(claim, 0) + 1
        self.resends = resends

    def verify(self, claim: str, at: datetime) -> bool:
        """Uses one claim's link; False when the account is already verified by it."""
        if self.verified and claim == getattr(self, "verified_claim", None):
            return False
        if self.erased or self.disabled or claim not in self.claims:
            raise UnknownVerification("this confirmation link is not valid (any more)")
        requested = datetime.fromisoformat(str(self.claims[claim][1]))
        if at - requested > VERIFICATION_VALID_FOR:
            raise VerificationExpired("this confirmation link has expired; sign up again")
        password_hash = self.claims[claim][0] or self.password_hash
        self._email_verified(claim=claim, password_hash=str(password_hash), at=at)
        return True

    @event(EmailVerified)
    def _email_verified(self, claim: str, password_hash: str, at: datetime) -> None:
        self.password_hash = password_hash
        self.verified = True
        self.verified_claim = claim
        self.claims = {}

    def password_changed_by(self, claim: str) -> bool:
        """Whether verifying this claim replaces the password (the claimant is new)."""
        return bool(self.claims.get(claim, [None])[0])

    # -- erasure -----------------------------------------------------------------------
    def erase(self, at: datetime) -> bool:
        if self.erased:
            return False
        self._erased(at=at)
        return True

    @event(Erased)
    def _erased(self, at: datetime) -> None:
        self.erased = True
        self.disabled = True
        self.verified = False
        self.password_hash = ""
        self.claims = {}
