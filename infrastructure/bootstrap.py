"""The composition root: builds the object graph from Settings. Nothing else opens
connections or reads configuration."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from eventsourcing.application import Application

from application.audit import projections as audit_projections
from application.esm import outbox as esm_outbox
from application.esm import projections as esm_projections
from application.esm.service import ESMApplication
from application.identity import outbox as identity_outbox
from application.identity import projections as identity_projections
from application.identity.service import Authenticator, IdentityApplication
from application.myvod import outbox as myvod_outbox
from application.myvod import projections as myvod_projections
from application.myvod.service import MyVODApplication
from application.shared.outbox import OutboxRule
from application.shared.ports import Clock, Mailer
from application.shared.projection import Projection
from infrastructure.adapters.myvod import myvod_ports
from infrastructure.adapters.sendgrid import build_mailer
from infrastructure.budgets import Budgets
from infrastructure.correlation import EventCorrelations
from infrastructure.postgres.database import Database, connect_pool
from infrastructure.postgres.eventstore import event_store_env
from infrastructure.postgres.sessions import PostgresSessions
from infrastructure.security import Argon2PasswordHasher, HmacLinkSigner, TokenService
from infrastructure.settings import Settings
from infrastructure.vault import PostgresVault


def system_clock() -> datetime:
    return datetime.now(UTC)


class NotConfigured(RuntimeError):
    pass


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
    extras: dict[str, Any] = field(default_factory=dict)

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

    def close(self) -> None:
        for app in self.applications.values():
            app.close()
        self.database.close()


def secret_bytes(settings: Settings) -> bytes:
    if not settings.secret_key:
        raise NotConfigured("SECRET_KEY is not set (kairos up generates one in the data dir)")
    return hashlib.sha256(settings.secret_key.encode()).digest()


def bootstrap(settings: Settings, clock: Clock = system_clock) -> Container:
    if not settings.database_url:
        raise NotConfigured(
            "no database: set DATABASE_URL, or run `kairos up` in this folder first"
        )
    secret = secret_bytes(settings)
    pool = connect_pool(settings.database_url, max_size=settings.pg_pool_max)
    database = Database(pool)
    vault = PostgresVault(pool, secret)
    hasher = Argon2PasswordHasher(settings.argon2_time_cost, settings.argon2_memory_kib)
    env = event_store_env(settings.database_url, group_commit=settings.event_store_group_commit)
    sessions = PostgresSessions(database)
    budgets = Budgets.from_url(settings.redis_url)
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
            env, vault=vault, clock=clock, read=database, budgets=budgets, **myvod_ports(settings)
        ),
        esm=ESMApplication(env, vault=vault, clock=clock, read=database),
        authenticator=Authenticator(identity, database),
        mailer=build_mailer(settings),
        sessions=sessions,
        budgets=budgets,
    )
