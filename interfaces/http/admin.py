"""Administrator routes: the right to erasure."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from application.identity.service import Principal
from interfaces.http.deps import ContainerDep, require_role
from interfaces.http.errors import ERROR_RESPONSES

router = APIRouter(prefix="/admin", tags=["admin"], responses=ERROR_RESPONSES)

AdminDep = Annotated[Principal, Depends(require_role("admin"))]


class ErasureIn(BaseModel):
    email: str = Field(max_length=254, description="The person whose personal data to erase")


class ErasureOut(BaseModel):
    subject_id: UUID = Field(description="The person's pseudonymous subject id")
    key_deleted: bool = Field(
        description="False when no key was stored (already erased, or never seen)"
    )


@router.post("/privacy/erase", response_model=ErasureOut)
def erase(body: ErasureIn, container: ContainerDep, _: AdminDep) -> ErasureOut:
    """Deletes the person's key from the vault (crypto-shredding): their sealed data in the
    immutable event log becomes unreadable; events are never edited. Their account (if any)
    is erased and every session of it ends at once; the address may sign up again, as a new
    account. Idempotent."""
    erasure = container.identity.erase_person(body.email)
    return ErasureOut(subject_id=erasure.subject_id, key_deleted=erasure.key_deleted)
