"""Local fake of the gemini API (a real HTTP server speaking the vendor's contract)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
