"""The right to erasure in an immutable log: crypto-shredding.

Personal data enters events only sealed with a per-person key kept in the vault. Erasing a
person deletes that key (and records the erasure so the data cannot be stored again); the
events stay exactly as they were, their sealed values just become unreadable, so the hash
chain still verifies and history shows "[erased]".
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from application.shared.ports import PersonalDataVault
from domain.shared.emails import normalise_email


@dataclass(frozen=True)
class Erasure:
    subject_id: UUID
    key_deleted: bool
    """False when there was no key (already erased, or never stored)."""


def erase_person(vault: PersonalDataVault, email: str) -> Erasure:
    subject = vault.subject_for(normalise_email(email))
    return Erasure(subject_id=subject, key_deleted=vault.erase(subject))
