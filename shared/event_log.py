"""The cases service's event log (`GET /api/v1/events`), read with a short-lived service token,
and the catch-up of a consumer from it: what a Redis data loss took from the stream is read again
from the producer's outbox, idempotent by event id, from a durable cursor."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from marshmallow import ValidationError

from shared.clock import Clock
from shared.events import Envelope, UnknownEventType
from shared.service_http import ServiceClient
from shared.streams import RetryLater

log = logging.getLogger(__name__)


class EventLogUnavailable(RetryLater):
    """The cases service did not answer with a page of the log."""


class CasesEventLog(ServiceClient):
    """HTTP client of the event log, paging by sequence number, as service `service`."""

    def __init__(
        self,
        base_url: str,
        jwt_secret: str,
        clock: Clock,
        timeout: float = 30.0,
        service: str = "reports",
    ) -> None:
        super().__init__(
            base_url, jwt_secret, clock, caller=service, upstream="cases", timeout=timeout
        )

    def entries(self, after: int, limit: int) -> tuple[list[tuple[int, Envelope | None]], int]:
        """The entries after `after` as (sequence number, envelope or None for one this code does
        not handle), and the last sequence number read."""
        body = self._get(after, limit)
        entries = [(int(item["seq"]), _parse(item)) for item in body["items"]]
        return entries, int(body["next_after"])

    def _get(self, after: int, limit: int) -> dict[str, Any]:
        params = {"after": after, "limit": limit}
        response = self.send("GET", "/api/v1/events", EventLogUnavailable, params=params)
        if response.status_code != 200:
            raise EventLogUnavailable(f"HTTP {response.status_code}: {response.text[:200]}")
        body: dict[str, Any] = response.json()
        return body

    def page(self, after: int, limit: int) -> tuple[list[Envelope], int, int]:
        """The envelopes after `after`, the last sequence number read and how many entries came."""
        body = self._get(after, limit)
        envelopes = [e for e in (_parse(item) for item in body["items"]) if e is not None]
        return envelopes, int(body["next_after"]), len(body["items"])

    def pages(self, after: int, limit: int) -> Iterator[list[Envelope]]:
        """Every page from `after` to the end of the log."""
        while True:
            envelopes, after, count = self.page(after, limit)
            if count == 0:
                return
            yield envelopes


def _parse(item: dict[str, Any]) -> Envelope | None:
    """An envelope, or None for what the stream consumer would not handle either: a type this code
    does not know is skipped, an invalid one is logged (the consumer dead-letters it)."""
    try:
        return Envelope.from_dict(item["envelope"])
    except UnknownEventType:
        return None
    except (KeyError, ValueError, ValidationError):
        log.error("event log entry %s is not a valid envelope; skipped", item.get("seq"))
        return None


# -- catching up from the log ---------------------------------------------------------------------

# The catch-up reads again this many sequence numbers before its cursor: on PostgreSQL a
# transaction that took a smaller number may commit after a larger one was read. The events
# re-read are skipped by their ids (one query per page).
OVERLAP = 1000


class EntryLog(Protocol):
    """The producer's log, read in pages of (sequence number, envelope or None)."""

    def entries(self, after: int, limit: int) -> tuple[list[tuple[int, Envelope | None]], int]: ...


class CursorStore(Protocol):
    """A consumer's durable cursor in the log and its record of processed event ids."""

    def log_cursor(self, name: str) -> int: ...

    def set_log_cursor(self, name: str, seq: int, now: datetime) -> None: ...

    def processed_among(self, event_ids: list[UUID]) -> set[UUID]: ...

    def commit(self) -> None: ...


# A consumer's handler of many events at once, idempotent by event id: per event False when it
# was processed before (see notifications' plan_batch).
BatchHandler = Callable[[list[Envelope]], Sequence[object]]


@dataclass(frozen=True)
class CaughtUp:
    """What a catch-up did: entries read, events handled (new to this consumer), failures."""

    read: int
    handled: int
    failed: int
    cursor: int


def catch_up(
    log: EntryLog,
    stores: Callable[[], AbstractContextManager[CursorStore]],
    handle: Callable[[Envelope], object],
    now: Callable[[], datetime],
    name: str = "cases",
    page_size: int = 500,
    handle_batch: BatchHandler | None = None,
) -> CaughtUp:
    """Hand every event of the log after the cursor that this consumer has not processed to
    `handle` (idempotent by event id), oldest first, and move the cursor after each page. An
    event whose handler fails is logged by id and the cursor stays before it (the next catch-up
    tries it again); RetryLater (the producer or a service it asks is down) stops the catch-up.

    `handle_batch`, when given, gets each page's events at once and asks itself which were
    processed before (one query per page; the catch-up does not ask first, so no event is
    checked twice). It returns per event False for one processed before. A page it fails on is
    handled again one event at a time with `handle`, which finds and logs the failing event."""
    with stores() as store:
        start = store.log_cursor(name)
    after, cursor, read, handled, failed = max(0, start - OVERLAP), start, 0, 0, 0
    while True:
        entries, next_after = log.entries(after, page_size)
        if not entries:
            return CaughtUp(read, handled, failed, cursor)
        done, failures = _handle_page(entries, stores, handle, handle_batch)
        if not failed:  # the cursor never passes an event that failed
            cursor = max(cursor, min(failures) - 1 if failures else next_after)
        read, handled, failed = read + len(entries), handled + done, failed + len(failures)
        with stores() as store:
            store.set_log_cursor(name, cursor, now())
            store.commit()
        after = next_after


def _handle_page(
    entries: list[tuple[int, Envelope | None]],
    stores: Callable[[], AbstractContextManager[CursorStore]],
    handle: Callable[[Envelope], object],
    handle_batch: BatchHandler | None = None,
) -> tuple[int, list[int]]:
    """Handle the page's events not processed yet; returns how many, and the failed seqs."""
    envelopes = [(seq, e) for seq, e in entries if e is not None]
    if handle_batch is not None and envelopes:
        done = _handle_together([e for _seq, e in envelopes], handle_batch)
        if done is not None:
            return done, []
    return _handle_one_by_one(envelopes, stores, handle)


def _handle_together(envelopes: list[Envelope], handle_batch: BatchHandler) -> int | None:
    """The page's events to the batch handler (it skips those processed before); how many were
    new, or None when the page failed (to be handled one by one)."""
    try:
        outcomes = handle_batch(envelopes)
    except RetryLater:
        raise
    except Exception:  # noqa: BLE001 - find the failing event: one by one
        log.warning("a page of %d events failed in the catch-up; one by one now", len(envelopes))
        return None
    return sum(1 for outcome in outcomes if outcome is not False)


def _handle_one_by_one(
    envelopes: list[tuple[int, Envelope]],
    stores: Callable[[], AbstractContextManager[CursorStore]],
    handle: Callable[[Envelope], object],
) -> tuple[int, list[int]]:
    """Each event not processed yet (one query for the page) to `handle`; how many, and the
    failed seqs."""
    with stores() as store:
        seen = store.processed_among([e.id for _seq, e in envelopes])
    done, failures = 0, []
    for seq, envelope in envelopes:
        if envelope.id in seen:
            continue
        try:
            handle(envelope)
        except RetryLater:
            raise
        except Exception:  # noqa: BLE001 - per event: the rest of the log still catches up
            log.exception("event %s (log entry %s) failed in the catch-up", envelope.id, seq)
            failures.append(seq)
            continue
        done += 1
    return done, failures
