"""esm read models. Each projection class here is run by the projector."""

from __future__ import annotations

from application.shared.projection import Projection

PROJECTIONS: list[type[Projection]] = []
