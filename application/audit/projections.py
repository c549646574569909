"""Audit read models (stream index, hash chain)."""

from __future__ import annotations

from application.shared.projection import Projection

PROJECTIONS: list[type[Projection]] = []
