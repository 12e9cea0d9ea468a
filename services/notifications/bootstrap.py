"""The one place that picks the real adapters of the notifications service."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property

import redis
from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from services.notifications.adapters.apprise_sender import AppriseSender
from services.notifications.adapters.cases_client import CasesDirectory
from services.notifications.adapters.reports_client import ReportsClient
from services.notifications.adapters.smtp_pool import SmtpPool
from services.notifications.adapters.store import HeldStores, Store
from services.notifications.config import NotificationsSettings
from services.notifications.service_layer.messages import DeliveryRules
from shared.clock import Clock, clock_for
from shared.crypto import Cipher
from shared.db import make_engine, session_factory
from shared.event_log import CasesEventLog
from shared.revocation import GUARDIAN_LINKS_PATH, CasesValidity, Revocations
from shared.streams import redis_client


@dataclass
class Container:
    """Everything a process of the notifications service needs, built once."""

    settings: NotificationsSettings
    engine: Engine
    sessions: sessionmaker
    clock: Clock
    redis: redis.Redis
    cipher: Cipher
    directory: CasesDirectory
    sender: AppriseSender
    # Where compiled reports are fetched to attach them; None without a reports API setting.
    reports: ReportsClient | None = None

    @contextmanager
    def store(self) -> Iterator[Store]:
        """One transaction; rolled back unless committed."""
        session = self.sessions()
        try:
            yield Store(session, self.cipher)
        finally:
            session.rollback()
            session.close()

    @contextmanager
    def held_stores(self) -> Iterator[HeldStores]:
        """Stores sharing one connection until the block ends: the rows of a part of a dispatch."""
        stores = HeldStores(self.engine, self.cipher)
        try:
            yield stores
        finally:
            stores.close()

    @cached_property
    def guardian_links(self) -> CasesValidity:
        """Whether a guardian's preference link still opens: asked of the cases service each
        time a link is opened (the guardian removed, the links revoked, the account disabled)."""
        return CasesValidity(
            self.settings.cases_url,
            self.settings.jwt_secret,
            self.clock,
            "notifications",
            GUARDIAN_LINKS_PATH,
        )

    @cached_property
    def revocations(self) -> Revocations:
        """Whether a person's token is still valid: asked of the cases service, cached in the
        shared Redis (shared.revocation)."""
        source = CasesValidity(
            self.settings.cases_url, self.settings.jwt_secret, self.clock, "notifications"
        )
        return Revocations(self.redis, source)

    def event_log(self) -> CasesEventLog:
        """The cases service's event log, for the catch-up after a Redis data loss."""
        s = self.settings
        return CasesEventLog(s.cases_url, s.jwt_secret, self.clock, 10.0, "notifications")

    @property
    def rules(self) -> DeliveryRules:
        s = self.settings
        return DeliveryRules(
            mail_url=s.mail_url,
            sms_url=s.sms_url,
            public_url=s.public_url,
            link_secret=s.jwt_secret,
            reports_url=s.reports_url,
            web_url=s.web_url,
            meeting_organizer=s.meeting_organizer,
            max_attempts=s.max_attempts,
            retry_base_seconds=s.retry_base_seconds,
            stale_after_seconds=s.stale_after_seconds,
        )


def bootstrap(settings: NotificationsSettings, clock: Clock | None = None) -> Container:
    """Connect to the database and Redis; build the directory and reports clients and the
    sender."""
    engine = make_engine(settings.database_url)
    clock = clock or clock_for(settings.clock_file)
    reports_api = settings.reports_api_base
    return Container(
        settings=settings,
        engine=engine,
        sessions=session_factory(engine),
        clock=clock,
        redis=redis_client(settings.redis_url),
        cipher=Cipher.from_setting(settings.encryption_key),
        directory=CasesDirectory(settings.cases_url, settings.jwt_secret, clock),
        sender=AppriseSender(
            settings.apprise_timeout_seconds,
            SmtpPool(
                timeout=settings.apprise_timeout_seconds,
                idle_seconds=settings.smtp_idle_seconds,
                size=settings.smtp_pool_size,
            ),
        ),
        reports=ReportsClient(reports_api, settings.jwt_secret, clock) if reports_api else None,
    )
