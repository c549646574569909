"""The composition root: the one module that builds Settings (from the environment and the
runtime file `kairos up` writes), creates Redis clients, and wires pools, adapters,
applications, the projector, the relay and the Celery app. Every entry point (api,
projector, relay, worker, beat, CLI, benchmarks, tests) asks it; nothing else reads the
environment or opens a connection of its own."""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import redis
from celery import Celery
from eventsourcing.application import Application

from application.audit import projections as audit_projections
from application.audit.service import AuditService
from application.esm import outbox as esm_outbox
from application.esm import projections as esm_projections
from application.esm.service import ESMApplication
from application.identity import outbox as identity_outbox
from application.identity import projections as identity_projections
from application.identity.service import Authenticator, IdentityApplication
from application.identity.sessions import Sessions
from application.myvod import outbox as myvod_outbox
from application.myvod import projections as myvod_projections
from application.myvod.service import MyVODApplication
from application.shared.outbox import OutboxRule
from application.shared.ports import Clock, Mailer
from application.shared.projection import Projection
from infrastructure.adapters.myvod import myvod_ports
from infrastructure.adapters.sendgrid import build_mailer
from infrastructure.audit.store import PostgresAuditStore
from infrastructure.budgets import Budgets
from infrastructure.celery_app import CeleryPublisher, configure_celery
from infrastructure.correlation import EventCorrelations
from infrastructure.observability import SharedCounters
from infrastructure.postgres.database import Database, connect_pool
from infrastructure.postgres.eventstore import event_store_env
from infrastructure.postgres.leadership import Leadership
from infrastructure.postgres.notifications import NotificationWaiter
from infrastructure.postgres.projector import Projector
from infrastructure.postgres.refresh_tokens import RefreshTokenStore
from infrastructure.postgres.search_cache import PostgresSearchCache
from infrastructure.postgres.sessions import PostgresSessions
from infrastructure.relay import Relay, TaskPublisher
from infrastructure.security import Argon2PasswordHasher, HmacLinkSigner, TokenService
from infrastructure.settings import Settings, StandInSettings
from infrastructure.vault import PostgresVault

SHORT_REDIS_TIMEOUT = 0.25
"""Seconds: rate limits and pacers fail open fast when Redis is away."""


def system_clock() -> datetime:
    return datetime.now(UTC)


class NotConfigured(RuntimeError):
    pass


# -- settings ----------------------------------------------------------------------------
def configured_settings(data_dir: Path | None = None) -> Settings:
    """What a process runs on: the environment, then the runtime file of `kairos up` in the
    data dir (`--data-dir`, else DATA_DIR, else .kairos) for what the environment leaves
    unset."""
    settings = Settings()
    if data_dir is not None:
        settings = settings.model_copy(update={"data_dir": data_dir})
    return settings.with_runtime()


def explicit_settings(**values: Any) -> Settings:
    """These values, the environment for the rest, no runtime file (tests, benchmarks)."""
    return Settings(**values)


def stand_in_settings() -> StandInSettings:
    return StandInSettings()


def export_data_dir(data_dir: Path) -> None:
    """For processes that build their own settings later (uvicorn's worker processes)."""
    os.environ["DATA_DIR"] = str(data_dir)


def child_environment(updates: Mapping[str, str]) -> dict[str, str]:
    """The environment for a child process: this one's plus `updates` (`kairos up`)."""
    return {**os.environ, **updates}


# -- redis -------------------------------------------------------------------------------
_redis_lock = threading.Lock()
_redis_clients: dict[tuple[str, float], redis.Redis] = {}


def redis_client(url: str, timeout: float = 2.0) -> redis.Redis:
    """One client (and connection pool) per process, URL and timeout."""
    with _redis_lock:
        client = _redis_clients.get((url, timeout))
        if client is None:
            client = _redis_clients[(url, timeout)] = redis.Redis.from_url(
                url, socket_connect_timeout=timeout, socket_timeout=timeout
            )
        return client


def _forget_redis_clients() -> None:
    _redis_clients.clear()  # a forked child opens its own connections


os.register_at_fork(after_in_child=_forget_redis_clients)


def counters(settings: Settings) -> SharedCounters:
    client = redis_client(settings.redis_url) if settings.redis_url else None
    return SharedCounters(client, settings.celery_queue)


# -- celery ------------------------------------------------------------------------------
def celery(settings: Settings, beat_schedule: Mapping[str, dict[str, Any]] | None = None) -> Celery:
    """The Celery app on these settings (worker, beat, relay, replays)."""
    return configure_celery(settings, counters(settings), beat_schedule)


def publisher(settings: Settings) -> CeleryPublisher:
    client = redis_client(settings.redis_url, timeout=10.0) if settings.redis_url else None
    return CeleryPublisher(celery(settings), settings.celery_queue, client)


@dataclass
class Container:
    settings: Settings
    database: Database
    vault: PostgresVault
    hasher: Argon2PasswordHasher
    tokens: TokenService
    clock: Clock
    identity: IdentityApplication
    myvod: MyVODApplication
    esm: ESMApplication
    authenticator: Authenticator
    mailer: Mailer
    sessions: PostgresSessions
    budgets: Budgets
    counters: SharedCounters
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def sign_ins(self) -> Sessions:
        """Signing in (failures throttled per account when rate limits are on), token pairs
        and refresh-token rotation (`sessions` is the account session store)."""
        failures = self.budgets if self.settings.rate_limit_enabled else None
        return Sessions(self.authenticator, self.tokens, RefreshTokenStore(self.database), failures)

    def __post_init__(self) -> None:
        correlations = EventCorrelations(self.database)
        for app in (self.identity, self.myvod, self.esm):
            app.before_save = correlations.claim

    @property
    def applications(self) -> dict[str, Application]:
        return {"identity": self.identity, "myvod": self.myvod, "esm": self.esm}

    def projections(self) -> list[Projection]:
        classes = (
            identity_projections.PROJECTIONS
            + myvod_projections.PROJECTIONS
            + esm_projections.PROJECTIONS
            + audit_projections.PROJECTIONS
        )
        return [cls() for cls in classes]

    def outbox_rules(self) -> list[OutboxRule]:
        return identity_outbox.RULES + myvod_outbox.RULES + esm_outbox.RULES

    def audit(self) -> AuditService:
        return AuditService(
            PostgresAuditStore(self.database),
            self.applications,
            self.projections(),
            self.vault.is_erased,
        )

    def redis(self, timeout: float = 2.0) -> redis.Redis | None:
        url = self.settings.redis_url
        return redis_client(url, timeout) if url else None

    # -- the followers of the log: one active instance each --------------------------------
    def projector(
        self, batch_size: int = 1000, projections: Iterable[Projection] | None = None
    ) -> Projector:
        chosen = list(projections) if projections is not None else self.projections()
        return Projector(self.database, self.applications, chosen, batch_size)

    def relay(self, publisher: TaskPublisher, only: Iterable[str] = ()) -> Relay:
        wanted = set(only)
        apps = {n: a for n, a in self.applications.items() if not wanted or n in wanted}
        return Relay(self.database, apps, self.outbox_rules(), publisher)

    def leadership(self, name: str) -> Leadership:
        return Leadership(self.settings.database_url or "", name)

    def waiter(self, applications: Iterable[str] | None = None) -> NotificationWaiter:
        """Wakes on NOTIFY from these applications' events tables (all by default)."""
        names = list(applications) if applications is not None else list(self.applications)
        channels = [self.applications[n].recorder.channel_name for n in names]  # type: ignore[attr-defined]
        return NotificationWaiter(self.settings.database_url or "", channels)

    def close(self) -> None:
        for app in self.applications.values():
            app.close()
        self.database.close()


def secret_bytes(settings: Settings) -> bytes:
    if not settings.secret_key:
        raise NotConfigured("SECRET_KEY is not set (kairos up generates one in the data dir)")
    return hashlib.sha256(settings.secret_key.encode()).digest()


def _existing_account(identity: IdentityApplication, email: str) -> UUID | None:
    """The account an email names, if it exists and was not erased."""
    account_id = identity.account_id_for(email)
    return account_id if identity.email_of(account_id) is not None else None


def bootstrap(settings: Settings, clock: Clock = system_clock) -> Container:
    if not settings.database_url:
        raise NotConfigured(
            "no database: set DATABASE_URL, or run `kairos up` in this folder first"
        )
    secret = secret_bytes(settings)
    shared_counters = counters(settings)
    fast_redis = (
        redis_client(settings.redis_url, SHORT_REDIS_TIMEOUT) if settings.redis_url else None
    )
    pool = connect_pool(settings.database_url, max_size=settings.pg_pool_max)
    database = Database(pool)
    vault = PostgresVault(pool, secret)
    hasher = Argon2PasswordHasher(settings.argon2_time_cost, settings.argon2_memory_kib)
    env = event_store_env(settings.database_url, group_commit=settings.event_store_group_commit)
    sessions = PostgresSessions(database)
    budgets = Budgets(fast_redis)
    identity = IdentityApplication(
        env,
        vault=vault,
        hasher=hasher,
        signer=HmacLinkSigner(secret),
        sessions=sessions,
        clock=clock,
    )
    return Container(
        settings=settings,
        database=database,
        vault=vault,
        hasher=hasher,
        tokens=TokenService(
            settings.secret_key or "", settings.access_token_minutes, settings.refresh_token_days
        ),
        clock=clock,
        identity=identity,
        myvod=MyVODApplication(
            env,
            vault=vault,
            clock=clock,
            read=database,
            budgets=budgets,
            search_cache=PostgresSearchCache(database),
            service_prices={
                slug: round(price * 100) for slug, price in settings.myvod_service_prices.items()
            },
            price_currency=settings.myvod_price_currency,
            accounts=lambda email: _existing_account(identity, email),
            **myvod_ports(settings, fast_redis, shared_counters),
        ),
        esm=ESMApplication(env, vault=vault, clock=clock, read=database, link_secret=secret),
        authenticator=Authenticator(identity, database),
        mailer=build_mailer(settings, shared_counters),
        sessions=sessions,
        budgets=budgets,
        counters=shared_counters,
    )
