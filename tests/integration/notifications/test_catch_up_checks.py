"""The catch-up from the cases event log asks "processed already?" once per event: one query per
page (the page's events at once), whether the events are new or were handled before (issue 16)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from services.notifications import __main__ as cli
from services.notifications.adapters import orm
from tests.integration.notifications.test_redis_loss import lossy as lossy  # noqa: F401
from tests.integration.notifications.test_redis_loss import planned_per_event, processed
from tests.support.api_flows import open_case, start_intervention
from tests.support.redis_loss import outbox_ids


@contextmanager
def processed_checks(engine) -> Iterator[list[str]]:
    """The SELECTs on processed_events the engine runs meanwhile."""
    seen: list[str] = []
    table = orm.processed_events.name

    def before(_conn, _cursor, statement, _params, _context, _many) -> None:
        text = statement.lstrip().upper()
        if text.startswith("SELECT") and table.upper() in text:
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", before)


def test_one_processed_check_per_page_of_the_catch_up(container, lossy, world):  # noqa: F811
    case = open_case(world)
    start_intervention(world, case["id"])
    events = len(outbox_ids(container))
    assert events >= 10
    log = lossy.event_log()
    lossy.event_log = lambda: log
    page_size = 4
    pages = -(-events // page_size)

    real = cli.event_log.catch_up

    def small_pages(*args, **kwargs):
        return real(*args, **{**kwargs, "page_size": page_size})

    cli.event_log.catch_up = small_pages
    try:
        with processed_checks(lossy.engine) as first:
            done = cli.catch_up(lossy)
        assert (done.read, done.handled, done.failed) == (events, events, 0)
        assert processed(lossy) == outbox_ids(container)
        planned = planned_per_event(lossy)

        with processed_checks(lossy.engine) as again:  # every event handled before
            repeat = cli.catch_up(lossy)
    finally:
        cli.event_log.catch_up = real
    assert (repeat.handled, repeat.failed) == (0, 0)
    assert planned_per_event(lossy) == planned
    print(f"\n{events} events, {pages} pages: {len(first)} checks new, {len(again)} checks seen")
    assert len(first) == pages
    assert len(again) == pages
