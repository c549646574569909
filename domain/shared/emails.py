"""Email addresses: one canonical spelling per mailbox, and only addresses a mailer delivers
as written.

Canonical form: Unicode NFKC, then case folding (so a full-width `\uff21da@example.com`,
`ada@example.com` and `Ada@EXAMPLE.COM` are one account), the domain in its ASCII (IDNA)
form.

Accepted syntax is the common subset every mail provider takes unchanged: a dot-atom local
part of ASCII letters, digits and ! # $ % & ' * + / = ? ^ _ ` { | } ~ - (no quoted strings,
no comments, no display names, no leading, trailing or double dots), and a domain of at least
two labels of letters, digits and inner hyphens, the last one not all digits. Anything else is
refused with a message, so an address is never accepted and later cancelled as undeliverable
(or silently rewritten by a mail library into someone else's address: `a:b@c.de` became
`b@c.de`). tests/unit/test_emails.py checks that the SendGrid adapter sends every accepted
address exactly as accepted.
"""

from __future__ import annotations

import re
import unicodedata

from domain.shared.errors import InvalidInput

ATEXT = r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+"
# fullmatch, not ^...$: "$" also matches before a final newline, so "0\n@0.a" passed.
LOCAL_PART = re.compile(rf"{ATEXT}(?:\.{ATEXT})*")
LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
MAX_LENGTH = 254


class InvalidEmail(InvalidInput):
    pass


def fold(email: str) -> str:
    """NFKC + case folding, trimmed: the comparison key, without checking the syntax."""
    return unicodedata.normalize("NFKC", email.strip()).casefold()


def _ascii_domain(domain: str) -> str:
    labels = domain.split(".")
    if len(labels) < 2:
        raise InvalidEmail("email is not a valid address: the domain needs a dot (example.com)")
    out = []
    for label in labels:
        try:
            ascii_label = label.encode("idna").decode("ascii").lower() if label else ""
        except UnicodeError:
            ascii_label = ""
        if not LABEL.fullmatch(ascii_label):
            raise InvalidEmail(f"email is not a valid address: bad domain part {label!r}")
        out.append(ascii_label)
    if out[-1].isdigit():
        raise InvalidEmail("email is not a valid address: the domain must end in a name")
    return ".".join(out)


def normalise_email(email: str) -> str:
    """The canonical address, or InvalidEmail saying what is wrong with it."""
    if not isinstance(email, str) or not email.strip():
        raise InvalidEmail("email is required")
    folded = fold(email)
    if len(folded) > MAX_LENGTH:
        raise InvalidEmail(f"email is not a valid address: at most {MAX_LENGTH} characters")
    local, at, domain = folded.rpartition("@")
    if not at or not local or not domain:
        raise InvalidEmail("email is not a valid address: it needs one @ (name@example.com)")
    if len(local) > 64 or not LOCAL_PART.fullmatch(local):
        raise InvalidEmail(
            "email is not a valid address: the part before @ may hold only ASCII letters,"
            " digits, dots (not two in a row, not first or last) and ! # $ % & ' * + / = ? ^ _"
            " ` { | } ~ -"
        )
    address = f"{local}@{_ascii_domain(domain)}"
    if len(address) > MAX_LENGTH:
        raise InvalidEmail(f"email is not a valid address: at most {MAX_LENGTH} characters")
    return address
