"""One HTTP server hosting every vendor fake; their paths do not overlap
(/v3 SendGrid, /3 TMDB, /v1 Watchmode, /v1beta Gemini; ours: /_mailbox, /mailbox, /_logos,
/_control/*)."""

from __future__ import annotations

from fastapi import FastAPI


def create_fakes_app(
    sendgrid_webhook_url: str | None = None, sendgrid_signing_key: str | None = None
) -> FastAPI:
    """Every stand-in on one app. The SendGrid one posts signed delivery events to
    `sendgrid_webhook_url` when given (`kairos fakes` passes what `kairos up` chose)."""
    from stand_ins.sendgrid import STATE

    STATE.configure(sendgrid_webhook_url, sendgrid_signing_key)
    app = FastAPI(title="Kairos local fakes", docs_url=None, redoc_url=None, openapi_url=None)
    for module_name in ("sendgrid", "mailbox_page", "tmdb", "watchmode", "gemini"):
        module = __import__(f"stand_ins.{module_name}", fromlist=["router"])
        router = getattr(module, "router", None)
        if router is not None:
            app.include_router(router)
    return app
