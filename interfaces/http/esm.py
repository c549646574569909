"""esm routes."""

from __future__ import annotations

from fastapi import APIRouter

from interfaces.http.errors import ERROR_RESPONSES

router = APIRouter(responses=ERROR_RESPONSES)
