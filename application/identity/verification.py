"""Email verification links: `{public_url}/auth/verify?token=...`.

The token is the account id and the claim id (neither secret) followed by an HMAC of both
under the server secret, so nothing secret is stored and a redelivered email task sends the
same link. It works once (the claim is consumed when used) and for three days
(domain.identity.account.VERIFICATION_VALID_FOR).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from uuid import UUID

from application.shared.ports import LinkSigner

PURPOSE = "verify-email"
IDS_CHARS = 43  # base64url of 32 bytes, unpadded


@dataclass(frozen=True)
class VerificationLink:
    account_id: UUID
    claim: str


def token_for(signer: LinkSigner, account_id: UUID, claim: str) -> str:
    ids = base64.urlsafe_b64encode(account_id.bytes + UUID(claim).bytes).rstrip(b"=").decode()
    return ids + "." + signer.sign(PURPOSE, f"{account_id}:{claim}")


def parse_token(signer: LinkSigner, token: str) -> VerificationLink | None:
    """The link the token names, or None when it is malformed or forged."""
    ids, dot, signature = token.partition(".")
    if not dot or len(ids) != IDS_CHARS or len(signature) > 128:
        return None
    try:
        raw = base64.urlsafe_b64decode(ids + "=")
    except ValueError:
        return None
    if len(raw) != 32:
        return None
    account_id, claim = UUID(bytes=raw[:16]), str(UUID(bytes=raw[16:]))
    if not signer.verify(PURPOSE, f"{account_id}:{claim}", signature):
        return None
    return VerificationLink(account_id, claim)
