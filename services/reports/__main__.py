"""Command line of the reports service: python -m services.reports <command>."""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
from pathlib import Path
from typing import Any

from services.reports.bootstrap import Container, bootstrap
from services.reports.config import ReportsSettings
from services.reports.service_layer.projector import project, project_batch
from services.reports.service_layer.rebuild import rebuild
from shared import metrics
from shared.event_log import catch_up
from shared.events import Envelope
from shared.logging import configure_from_env
from shared.migrations import upgrade
from shared.streams import StreamConsumer, stop_on_signals

MIGRATIONS = Path(__file__).parent / "migrations"
log = logging.getLogger(__name__)


def _container() -> Container:
    return bootstrap(ReportsSettings.from_env(os.environ))


def cmd_migrate(_args: argparse.Namespace) -> None:
    """Apply the migrations."""
    upgrade(MIGRATIONS, _container().engine)
    print("reports database is up to date")


def consumer(c: Container, **options: Any) -> StreamConsumer:
    """The stream consumer of the reports group, projecting each event into the read model; with
    CASES_URL set it catches up from the cases event log at start and after Redis lost the stream
    (`options` tune StreamConsumer: tests poll without blocking)."""

    def handle(envelope: Envelope) -> bool:
        return project(envelope, c.store, c.clock.now())  # False: seen before

    def handle_batch(envelopes: list[Envelope]) -> list[bool]:
        return project_batch(envelopes, c.store, c.clock.now())

    def recover() -> None:
        # a page at a time, projected like a batch of the stream (one processed-check a page)
        done = catch_up(c.event_log(), c.store, handle, c.clock.now, handle_batch=handle_batch)
        log.info("caught up from the cases event log: %d read, %d new", done.read, done.handled)

    s = c.settings
    options.setdefault("recover", recover if s.cases_url else None)
    # What is alive now (modules, table metadata, compiled statements) lives as long as the
    # process: out of the collector's passes, which otherwise walk it again and again while the
    # batches allocate (about a tenth of a consumed event's time).
    gc.freeze()
    return StreamConsumer(
        c.redis,
        s.event_stream,
        s.consumer_group,
        s.consumer_name,
        handle,
        now=c.clock.now,
        **{"handle_batch": handle_batch, "batch": s.consumer_batch, **options},
    )


def cmd_consume(_args: argparse.Namespace) -> None:
    """Consume the event stream until stopped (SIGTERM or SIGINT: the current batch is finished
    and acknowledged, then the process exits 0)."""
    c = _container()
    stop = stop_on_signals("reports consumer")
    metrics.serve_from_env(os.environ)
    consumer(c).run(stop)


def cmd_rebuild(args: argparse.Namespace) -> None:
    """Empty the read model and replay the cases service's event log into it (needs CASES_URL)."""
    c = _container()
    if not c.settings.cases_url:
        raise SystemExit("CASES_URL must be set: the rebuild reads the cases service's event log")
    page_size = args.page_size or c.settings.rebuild_page_size
    done = rebuild(c.event_log(), c.store, c.clock.now, page_size)
    print(f"read model rebuilt: {done.events} events from {done.pages} pages")


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run one command."""
    configure_from_env("reports", os.environ)
    parser = argparse.ArgumentParser(prog="python -m services.reports")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help=cmd_migrate.__doc__).set_defaults(func=cmd_migrate)
    sub.add_parser("consume", help=cmd_consume.__doc__).set_defaults(func=cmd_consume)
    p = sub.add_parser("rebuild", help=cmd_rebuild.__doc__)
    p.add_argument("--page-size", type=int, default=0, help="events per page and transaction")
    p.set_defaults(func=cmd_rebuild)
    args = parser.parse_args(argv)
    args.func(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
