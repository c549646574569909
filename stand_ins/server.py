"""One HTTP server hosting every vendor fake; their paths do not overlap
(/v3 SendGrid, /3 TMDB, /v1 Watchmode, /v1beta Gemini; ours: /_mailbox, /mailbox, /_logos,
/_control/*)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from fastapi import FastAPI

from stand_ins.access import Window


def create_fakes_app(
    sendgrid_webhook_url: str | None = None,
    sendgrid_signing_key: str | None = None,
    *,
    api_keys: Mapping[str, Iterable[str]] | None = None,
    windows: Mapping[str, Window] | None = None,
    verified_senders: Iterable[str] = (),
    state_dir: Path | None = None,
) -> FastAPI:
    """Every stand-in on one app. The SendGrid one posts signed delivery events to
    `sendgrid_webhook_url` when given (`kairos fakes` passes what `kairos up` chose).
    `api_keys`: the keys each vendor accepts (default: stand_ins.access.LOCAL_KEYS);
    `windows`: rate limits replacing the vendors' own; `verified_senders`: sender identities
    SendGrid accepts besides `kairos.local`; `state_dir`: where the mailbox and availability
    changes are kept across restarts (None: in memory only)."""
    from stand_ins.access import ACCESS
    from stand_ins.catalogue_state import STATE as CATALOGUE
    from stand_ins.sendgrid import STATE

    ACCESS.configure(api_keys, windows)
    STATE.configure(sendgrid_webhook_url, sendgrid_signing_key, verified_senders, state_dir)
    CATALOGUE.keep_in(state_dir)
    return fakes_app()


def fakes_app() -> FastAPI:
    """The fakes' routes over their state as it is (per process; `create_fakes_app`
    configures it)."""
    app = FastAPI(title="Kairos local fakes", docs_url=None, redoc_url=None, openapi_url=None)
    for module_name in ("access", "sendgrid", "mailbox_page", "tmdb", "watchmode", "gemini"):
        module = __import__(f"stand_ins.{module_name}", fromlist=["router"])
        router = getattr(module, "router", None)
        if router is not None:
            app.include_router(router)
    return app
