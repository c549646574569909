"""MyVOD use cases."""

from __future__ import annotations

from application.shared.app import KairosApplication
from application.shared.ports import Clock, PersonalDataVault


class MyVODApplication(KairosApplication):
    name = "myvod"

    def __init__(
        self, env: dict[str, str] | None = None, *, vault: PersonalDataVault, clock: Clock
    ) -> None:
        super().__init__(env)
        self.vault = vault
        self.clock = clock
