"""What the use cases need of the notifications store, one Protocol per concern; one store
object (adapters.store.Store) is one transaction and implements them all. Also what they need of
the cases service (Directory) and of a transport (Sender)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Protocol
from uuid import UUID

from services.notifications.domain.notification import GuardianPreferences, NotificationRow
from services.notifications.domain.planning import Audience, PlannedNotification
from services.notifications.domain.policy import Policy
from services.notifications.domain.timing import Holiday, HolidayCalendar

# Column=value filters of pending rows to cancel (a plan's, a subject's, ...); `keep` names an
# event type whose rows stay.
CancelFilter = dict[str, object]


class Transaction(Protocol):
    def commit(self) -> None: ...


class ProcessedEvents(Transaction, Protocol):
    """The consumer's record of the event ids it handled (idempotency by event id)."""

    def processed_among(self, event_ids: list[UUID]) -> set[UUID]: ...

    def mark_processed(self, event_id: UUID, event_type: str, now: datetime) -> bool: ...

    def mark_processed_many(self, events: list[tuple[UUID, str]], now: datetime) -> None: ...


class PolicyStore(Transaction, Protocol):
    """The administrators' policies of a partnership (and its schools' overrides)."""

    def policies(self, partnership_id: UUID, key: str | None = None) -> list[Policy]: ...

    def policy(self, policy_id: UUID) -> Policy | None: ...

    def save_policy(self, policy: Policy, now: datetime) -> None: ...

    def create_defaults(self, policies: list[Policy], now: datetime) -> bool: ...

    def key_taken(self, policy: Policy) -> bool: ...

    def policy_keys(self, partnership_id: UUID) -> set[str]: ...

    def has_policies(self, partnership_id: UUID) -> bool: ...


class HolidayStore(Transaction, Protocol):
    """The school holidays per region that defer messages."""

    def calendar(self) -> HolidayCalendar: ...

    def holiday_school_years(self) -> set[str]: ...

    def replace_holidays(self, school_year: str, holidays: list[Holiday]) -> None: ...


class PreferenceStore(Transaction, Protocol):
    """Guardians' own choices (language, informational messages, channels)."""

    def preferences(self, guardian_id: UUID) -> GuardianPreferences | None: ...

    def save_preferences(
        self,
        guardian_id: UUID,
        partnership_id: UUID,
        language: str | None,
        informational: bool,
        now: datetime,
        channels: Collection[str] | None = None,
    ) -> None: ...


class PlanStore(Transaction, Protocol):
    """Writing planned notifications, and cancelling those an event made obsolete."""

    def add_planned(self, items: list[PlannedNotification], now: datetime) -> int: ...

    def cancel_pending_many(self, now: datetime, matches: list[CancelFilter]) -> int: ...


class DispatchStore(Transaction, Protocol):
    """The rows whose moment has come, handed to delivery tasks."""

    def due_ids(self, now: datetime, limit: int) -> list[UUID]: ...

    def stale_ids(self, before: datetime, limit: int) -> list[UUID]: ...

    def mark_queued(self, ids: list[UUID], now: datetime) -> None: ...


class DeliveryStore(Transaction, Protocol):
    """One delivery: claim a row (and its digest window), then record how its attempt went."""

    def relax(self) -> None:
        """Before the transaction's first statement: its commit need not reach the disk (it
        is seen at once and survives a crash of the worker, and a full commit flushes it)."""

    def claim(
        self, notification_id: UUID, now: datetime, stale_before: datetime
    ) -> NotificationRow | None: ...

    def claim_digest(
        self, digest_key: str, exclude: UUID, now: datetime
    ) -> list[NotificationRow]: ...

    def release_claim(
        self,
        notification_id: UUID,
        status: str,
        now: datetime,
        *,
        send_at: datetime | None = None,
        error: str | None = None,
    ) -> None: ...

    def mark_accepted(self, ids: list[UUID], now: datetime) -> None: ...

    def finish(
        self,
        notification_id: UUID,
        status: str,
        now: datetime,
        error: str | None = None,
        send_at: datetime | None = None,
    ) -> None: ...

    def record_attempt(
        self,
        notification_id: UUID,
        attempt: int,
        started: datetime,
        finished: datetime,
        outcome: str,
        error: str | None,
    ) -> None: ...

    def channels_of_same_message(self, row: NotificationRow) -> set[str]: ...

    def notification(self, notification_id: UUID) -> NotificationRow | None: ...

    def reset_for_retry(self, notification_id: UUID, now: datetime) -> None: ...


class RetentionStore(Transaction, Protocol):
    """Personal data out of the delivery log: a pupil's anonymisation and the log's retention."""

    def forget_cases(self, case_ids: list[UUID], now: datetime, reason: str) -> int: ...

    def scrub_finished(self, before: datetime, limit: int) -> int: ...


class NotificationStore(
    ProcessedEvents,
    PolicyStore,
    HolidayStore,
    PreferenceStore,
    PlanStore,
    DispatchStore,
    DeliveryStore,
    RetentionStore,
    Protocol,
):
    """Every concern in one transaction."""


StoreFactory = Callable[[], AbstractContextManager[NotificationStore]]


class Directory(Protocol):
    """Who an event is about, as the cases service tells it."""

    def audience(
        self,
        case_id: UUID | None,
        school_id: UUID | None,
        partnership_consultants: bool = False,
        guardian_id: UUID | None = None,
    ) -> Audience | None: ...

    def case_ids(self, pupil_id: UUID) -> list[UUID]: ...


class SendResultLike(Protocol):
    """What a transport says about one attempt."""

    ok: bool
    error: str | None


class Sender(Protocol):
    """A transport (adapters.apprise_sender.AppriseSender)."""

    def send(
        self,
        url: str,
        subject: str,
        body: str,
        attachments: Sequence[tuple[str, bytes]] | None = None,
        on_accepted: Callable[[], None] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> SendResultLike: ...
