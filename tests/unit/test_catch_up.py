"""The catch-up from the producer's event log (shared.event_log.catch_up) with fakes of its own
two interfaces: events handled once, oldest first; the cursor never passes one that failed;
RetryLater (the producer is down) stops it and keeps the cursor of the pages done."""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest

from shared.event_log import catch_up
from shared.events import Envelope
from shared.events.envelope import Subject
from shared.streams import RetryLater

NOW = datetime(2026, 10, 15, 8, 0, tzinfo=UTC)


def envelope() -> Envelope:
    return Envelope(
        id=uuid.uuid4(),
        type="case.opened",
        version=1,
        occurred_at=NOW,
        partnership_id=uuid.uuid4(),
        school_id=None,
        subject=Subject("case", uuid.uuid4()),
    )


class FakeLog:
    """The producer's log: entries with sequence numbers 1..count."""

    def __init__(self, count: int) -> None:
        self.log = [(seq, envelope()) for seq in range(1, count + 1)]

    def entries(self, after: int, limit: int):
        page = [(s, e) for s, e in self.log if s > after][:limit]
        return page, page[-1][0] if page else after


class FakeStore:
    def __init__(self) -> None:
        self.cursor = 0
        self.processed: set = set()

    def log_cursor(self, name: str) -> int:
        return self.cursor

    def set_log_cursor(self, name: str, seq: int, now: datetime) -> None:
        self.cursor = seq

    def processed_among(self, ids):
        return {i for i in ids if i in self.processed}

    def commit(self) -> None:
        pass


def run(log: FakeLog, store: FakeStore, handle) -> object:
    @contextmanager
    def stores():
        yield store

    return catch_up(log, stores, handle, lambda: NOW, page_size=2)


def test_every_event_once_and_the_cursor_stops_before_a_failure() -> None:
    log, store, seen = FakeLog(5), FakeStore(), []
    poison = log.log[2][1].id

    def handle(e: Envelope) -> None:
        if e.id == poison:
            raise ValueError("a bug")
        seen.append(e.id)
        store.processed.add(e.id)

    done = run(log, store, handle)
    assert (done.read, done.handled, done.failed, store.cursor) == (5, 4, 1, 2)
    assert seen == [e.id for s, e in log.log if s != 3]

    poison = None  # fixed: the next catch-up handles only what was left
    again = run(log, store, handle)
    assert (again.handled, again.failed, store.cursor) == (1, 0, 5)
    assert len(seen) == 5 == len(set(seen))


def test_retry_later_stops_and_keeps_the_pages_done() -> None:
    log, store = FakeLog(4), FakeStore()

    def handle(e: Envelope) -> None:
        if e.id == log.log[2][1].id:
            raise RetryLater("audience unavailable")
        store.processed.add(e.id)

    with pytest.raises(RetryLater):
        run(log, store, handle)
    assert store.cursor == 2  # the first page; the second is read again next time


class CountingStore(FakeStore):
    def __init__(self) -> None:
        super().__init__()
        self.checks = 0

    def processed_among(self, ids):
        self.checks += 1
        return super().processed_among(ids)


def run_batched(log: FakeLog, store: CountingStore, handle, handle_batch) -> object:
    @contextmanager
    def stores():
        yield store

    return catch_up(log, stores, handle, lambda: NOW, page_size=2, handle_batch=handle_batch)


def test_a_batch_handler_gets_each_page_and_is_the_only_processed_check() -> None:
    log, store, pages = FakeLog(5), CountingStore(), []

    def handle_batch(envelopes: list[Envelope]) -> list[bool]:
        seen = store.processed_among([e.id for e in envelopes])  # its own check, once a page
        pages.append([e.id for e in envelopes])
        store.processed |= {e.id for e in envelopes}
        return [e.id not in seen for e in envelopes]

    def handle(e: Envelope) -> None:
        raise AssertionError("not one by one")

    done = run_batched(log, store, handle, handle_batch)
    assert (done.read, done.handled, done.failed, store.cursor) == (5, 5, 0, 5)
    assert pages == [[e.id for _s, e in log.log[i : i + 2]] for i in (0, 2, 4)]
    assert store.checks == 3  # one per page, none by the catch-up itself

    store.cursor, store.checks = 0, 0  # read again: every event processed before
    again = run_batched(log, store, handle, handle_batch)
    assert (again.handled, again.failed, store.checks) == (0, 0, 3)


def test_a_page_the_batch_handler_fails_on_is_handled_one_by_one() -> None:
    log, store, seen = FakeLog(4), CountingStore(), []
    poison = log.log[2][1].id

    def handle_batch(envelopes: list[Envelope]) -> list[bool]:
        if any(e.id == poison for e in envelopes):
            raise ValueError("a bug")
        store.processed |= {e.id for e in envelopes}
        seen.extend(e.id for e in envelopes)
        return [True] * len(envelopes)

    def handle(e: Envelope) -> None:
        if e.id == poison:
            raise ValueError("a bug")
        seen.append(e.id)
        store.processed.add(e.id)

    done = run_batched(log, store, handle, handle_batch)
    assert (done.read, done.handled, done.failed, store.cursor) == (4, 3, 1, 2)
    assert seen == [e.id for s, e in log.log if s != 3]


def test_retry_later_from_a_batch_handler_stops_the_catch_up() -> None:
    log, store = FakeLog(4), CountingStore()

    def handle_batch(envelopes: list[Envelope]) -> list[bool]:
        if any(e.id == log.log[2][1].id for e in envelopes):
            raise RetryLater("audience unavailable")
        store.processed |= {e.id for e in envelopes}
        return [True] * len(envelopes)

    with pytest.raises(RetryLater):
        run_batched(log, store, lambda e: None, handle_batch)
    assert store.cursor == 2
