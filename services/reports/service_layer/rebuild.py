"""Rebuilding the read model by replaying the cases service's event log from the beginning."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from services.reports.service_layer.projector import StoreFactory, project_all
from shared.events import Envelope


class EventLog(Protocol):
    """The producer's event log, read in pages of envelopes, oldest first."""

    def pages(self, after: int, limit: int) -> Iterator[list[Envelope]]: ...


@dataclass(frozen=True)
class Rebuilt:
    """What a rebuild did."""

    pages: int
    events: int


def rebuild(
    log: EventLog, stores: StoreFactory, now: Callable[[], datetime], page_size: int = 500
) -> Rebuilt:
    """Empty the read model and replay the whole log into it, one transaction per page. The first
    page's transaction also empties the model, so readers never see it empty between the two.

    A consumer may keep running meanwhile: an event it handles before the emptying is in the log
    and is replayed; one it handles after is marked processed and skipped by the replay."""
    # What is alive before the replay (modules, table metadata, compiled statements) outlives it:
    # out of the collector's passes meanwhile, which would otherwise walk it again and again as
    # the pages allocate (about a tenth of a replayed event's time); back in them after.
    thawed = gc.get_freeze_count() == 0
    if thawed:
        gc.freeze()
    try:
        return _replay(log, stores, now, page_size)
    finally:
        if thawed:
            gc.unfreeze()


def _replay(
    log: EventLog, stores: StoreFactory, now: Callable[[], datetime], page_size: int
) -> Rebuilt:
    pages = events = 0
    for page in log.pages(0, page_size):
        with stores() as store:
            if pages == 0:
                store.truncate()
            events += project_all(page, store, now())
            store.commit()
        pages += 1
    if pages == 0:  # an empty log: the fresh read model is an empty one
        with stores() as store:
            store.truncate()
            store.commit()
    return Rebuilt(pages=pages, events=events)
