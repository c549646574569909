"""The settings objects. Only the composition root (bootstrap.py) builds them; nothing else
reads the environment."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

RUNTIME_FILE = "runtime.json"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore", case_sensitive=False)

    database_url: str | None = None
    redis_url: str | None = None
    data_dir: Path = Path(".kairos")
    secret_key: str | None = None

    public_url: str = "http://127.0.0.1:8000"
    cors_origins: list[str] = Field(default_factory=list)
    max_request_bytes: int = 1_000_000
    rate_limit_enabled: bool = True
    """Redis-backed limits on login, registration and survey links (docs/reliability.md)."""
    forwarded_allow_ips: str = ""
    """Proxies whose X-Forwarded-For/-Proto the API believes (comma-separated addresses or
    networks, `*` for any). Empty: none, the socket peer is the client, so nobody can dodge
    the per-address limits by sending the header. compose.yaml sets it for its nginx."""
    access_token_minutes: int = 15
    refresh_token_days: int = 30
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536

    sendgrid_api_key: str | None = None
    sendgrid_host: str = "https://api.sendgrid.com"
    sendgrid_webhook_public_key: str | None = None
    mail_from: str = "no-reply@kairos.local"
    tmdb_api_key: str | None = None
    tmdb_base_url: str = "https://api.themoviedb.org"
    watchmode_api_key: str | None = None
    watchmode_base_url: str = "https://api.watchmode.com"
    gemini_api_key: str | None = None
    gemini_base_url: str | None = None
    gemini_model: str = "gemini-2.5-flash-lite"
    """A model Google serves with no announced shutdown (research notes, read 2026-11:
    gemini-2.5-flash shuts down 2026-12-01; 2.5-flash-lite "remains available until further
    notice"). A model that answers 404 is logged and counted; suggestions go offline."""
    tmdb_requests_per_second: float = 40.0
    watchmode_requests_per_minute: float = 120.0
    demo_data: bool = False
    """True when `kairos up` backs TMDB with the local stand-in catalogue: the web app says
    it runs on demo data and suggests searches that exist there."""
    myvod_refresh_after_seconds: float = 21600.0
    """A title's availability is re-checked once it is this old."""
    myvod_service_prices: dict[str, float] = Field(
        default_factory=lambda: {
            "netflix": 13.99,
            "hulu": 9.99,
            "hbomax": 10.99,
            "disneyplus": 9.99,
            "primevideo": 8.99,
            "appletvplus": 9.99,
            "mubi": 12.99,
            "skyshowtime": 6.99,
            "canalplus": 15.99,
            "player": 6.99,
            "tubi": 0.0,
            "plutotv": 0.0,
        }
    )
    """Monthly price of each streaming service (slug -> price in MYVOD_PRICE_CURRENCY), for
    the subscription planner (GET /me/plan). JSON in the environment. A service without a
    price is never planned. The defaults are illustrative, one price for every region."""
    myvod_price_currency: str = "EUR"

    projection_lag_threshold: int = 1000
    """/ready fails when any projection is this many events behind."""
    celery_queue: str = "kairos"
    pg_pool_max: int = 10
    event_store_group_commit: bool = True
    """Concurrent appends share one gapless transaction; false = the stock recorder."""
    beat_interval_seconds: float = 10.0
    log_level: str = "INFO"
    log_format: str = "text"
    """`text` (readable) or `json` (one object per line, for log shippers)."""

    def with_runtime(self) -> Settings:
        """Fills unset URLs from the runtime file `kairos up` writes in the data dir, so
        every `kairos` command run from the same folder reaches the same system."""
        path = self.data_dir / RUNTIME_FILE
        if not path.exists():
            return self
        runtime = json.loads(path.read_text())
        updates = {k: v for k, v in runtime.items() if getattr(self, k, None) in (None, "")}
        for key in (
            "public_url",
            "sendgrid_host",
            "tmdb_base_url",
            "watchmode_base_url",
            "gemini_base_url",
        ):
            if key in runtime and self._is_default(key):
                updates[key] = runtime[key]
        if "demo_data" in runtime and not self.demo_data:
            updates["demo_data"] = str(runtime["demo_data"]).lower() == "true"
        return self.model_copy(update=updates)

    def _is_default(self, key: str) -> bool:
        return getattr(self, key) == type(self).model_fields[key].default


class StandInSettings(BaseSettings):
    """What `kairos fakes` hands the local SendGrid stand-in (set by `kairos up` and the
    compose fakes profile): where to post delivery events and the key to sign them with
    (base64 PKCS#8 DER of a P-256 key; a fresh key when unset)."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore", case_sensitive=False)

    fake_sendgrid_webhook_url: str | None = None
    fake_sendgrid_signing_key: str | None = None
    fake_sendgrid_verified_sender: str | None = None
    """A sender identity the stand-in accepts besides the `kairos.local` domain (`kairos up`
    passes MAIL_FROM's address)."""
