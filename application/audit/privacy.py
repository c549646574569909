"""The right to erasure in an immutable log: crypto-shredding.

Personal data enters events only sealed with a per-person key kept in the vault. Erasing a
person deletes that key (and records the erasure so the data cannot be stored again); the
events stay exactly as they were, their sealed values just become unreadable, so the hash
chain still verifies and history shows "[erased]".

The same address may be used again afterwards, by a new account: its data is keyed by the
next generation of the address's subject id (vault.subject_for(value, n)), never by the
erased one. ESMpress keeps refusing to enrol an erased participant's address (a researcher's
old list must not undo an erasure); MyVOD lets the person sign up again.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from uuid import UUID

from application.shared.ports import PersonalDataVault
from domain.shared.emails import InvalidEmail, fold, normalise_email


@dataclass(frozen=True)
class Erasure:
    subject_id: UUID
    key_deleted: bool
    """False when there was no key (already erased, or never stored)."""


def spellings(email: str) -> list[str]:
    """Every spelling under which the address may have been keyed: today's canonical form,
    and the plain lower case that earlier versions used."""
    found = []
    with contextlib.suppress(InvalidEmail):
        found.append(normalise_email(email))
    for candidate in (fold(email), email.strip().lower()):
        local, at, domain = candidate.rpartition("@")
        looks_like_one = at and local and domain and not any(c.isspace() for c in candidate)
        if looks_like_one and candidate not in found:
            found.append(candidate)
    if not found:
        raise InvalidEmail("email is not a valid address")
    return found


def erase_person(vault: PersonalDataVault, email: str) -> Erasure:
    """Erases whoever uses the address now (its first generation not yet erased). Erasing
    again changes nothing (key_deleted False) unless someone used the address since."""
    result: Erasure | None = None
    for value in spellings(email):
        erasure = _erase_current(vault, value)
        if result is None or (erasure.key_deleted and not result.key_deleted):
            result = erasure
    assert result is not None
    return result


def _erase_current(vault: PersonalDataVault, value: str) -> Erasure:
    generation = 0
    while vault.is_erased(subject := vault.subject_for(value, generation)):
        generation += 1
    if generation > 0 and not vault.has_key(subject):
        return Erasure(subject_id=vault.subject_for(value, generation - 1), key_deleted=False)
    return Erasure(subject_id=subject, key_deleted=vault.erase(subject))
