"""Command line of the notifications service: python -m services.notifications <command>."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

from services.notifications.adapters.rotation import rotate_encrypted
from services.notifications.bootstrap import Container, bootstrap
from services.notifications.config import NotificationsSettings
from services.notifications.service_layer.batch import plan_batch
from shared import event_log, metrics
from shared.crypto import new_key
from shared.event_log import CaughtUp
from shared.events import Envelope
from shared.logging import configure_from_env
from shared.migrations import upgrade
from shared.streams import StreamConsumer, stop_on_signals

MIGRATIONS = Path(__file__).parent / "migrations"
HOLIDAYS = Path(__file__).parent / "data" / "schoolvakanties.json"
log = logging.getLogger(__name__)


def _container() -> Container:
    return bootstrap(NotificationsSettings.from_env(os.environ))


def cmd_migrate(_args: argparse.Namespace) -> None:
    """Apply the migrations and load the shipped school holidays."""
    c = _container()
    upgrade(MIGRATIONS, c.engine)
    _load_holidays(c, HOLIDAYS)
    print("notifications database is up to date")


def _load_holidays(c: Container, path: Path) -> int:
    from services.notifications.domain.holidays import parse_rijksoverheid

    years = parse_rijksoverheid(json.loads(path.read_text(encoding="utf-8")))
    with c.store() as store:
        for school_year, holidays in years.items():
            store.replace_holidays(school_year, holidays)
        store.commit()
    return sum(len(h) for h in years.values())


def cmd_translations(_args: argparse.Namespace) -> None:
    """Extract the Dutch texts of the messages to guardians, update the .po, compile the .mo."""
    from services.notifications.catalogs import translations

    missing = translations()
    print(f"message catalogs compiled; {len(missing)} texts without a translation")
    for item in missing:
        print(f"  {item}")


def cmd_load_holidays(args: argparse.Namespace) -> None:
    """Load a newer school-holiday file (Rijksoverheid open data JSON)."""
    print(f"{_load_holidays(_container(), Path(args.file))} holiday periods loaded")


def cmd_consume(_args: argparse.Namespace) -> None:
    """Consume the event stream until stopped (SIGTERM or SIGINT: the current batch is finished
    and acknowledged, then the process exits 0)."""
    c = _container()
    stop = stop_on_signals("notifications consumer")
    metrics.serve_from_env(os.environ)
    consumer(c).run(stop)


def handle(c: Container, envelope: Envelope) -> bool:
    """Plan what one event asks for; False when it was processed before (a duplicate)."""
    return handle_batch(c, [envelope])[0]


def handle_batch(c: Container, envelopes: list[Envelope]) -> list[bool]:
    """Plan what a batch of events asks for (one processed-check, one audience call to cases,
    one transaction); per event False when it was processed before (a duplicate)."""
    outcomes = plan_batch(envelopes, c.store, c.directory, c.clock.now())
    metrics.NOTIFICATIONS.labels("planned").inc(sum(added or 0 for added in outcomes))
    return [added is not None for added in outcomes]


def catch_up(c: Container) -> CaughtUp:
    """Handle what the cases event log holds and this service has not processed (the events a
    Redis data loss took from the stream), from the durable cursor on: a page at a time, planned
    like a batch of the stream (one processed-check, one audience call, one transaction)."""
    done = event_log.catch_up(
        c.event_log(),
        c.store,
        lambda envelope: handle(c, envelope),
        c.clock.now,
        handle_batch=lambda envelopes: handle_batch(c, envelopes),  # one processed-check a page
    )
    log.info(
        "caught up from the cases event log: %d read, %d handled, %d failed",
        done.read,
        done.handled,
        done.failed,
    )
    return done


def consumer(c: Container, **options: Any) -> StreamConsumer:
    """The stream consumer of the notifications group; it catches up from the cases event log at
    start and after Redis lost the stream (`options` tune StreamConsumer: tests poll faster)."""
    return StreamConsumer(
        c.redis,
        c.settings.event_stream,
        c.settings.consumer_group,
        c.settings.consumer_name,
        lambda envelope: handle(c, envelope),
        now=c.clock.now,
        **{
            "handle_batch": lambda envelopes: handle_batch(c, envelopes),
            "batch": c.settings.consumer_batch,
            "recover": lambda: catch_up(c),
            **options,
        },
    )


def cmd_catch_up(_args: argparse.Namespace) -> None:
    """Handle the events of the cases event log not processed yet (after Redis lost its data)."""
    done = catch_up(_container())
    print(f"{done.read} events read, {done.handled} handled, {done.failed} failed")


def cmd_replay_dead(_args: argparse.Namespace) -> None:
    """Handle the events that went to the dead-letter stream again (idempotent)."""
    replayed, failed = consumer(_container()).replay_dead()
    print(f"{replayed} dead events handled, {failed} still failing")


def cmd_rotate_keys(_args: argparse.Namespace) -> None:
    """Re-encrypt stored transport secrets under the first key of NOTIFICATIONS_ENCRYPTION_KEY."""
    c = _container()
    counts = rotate_encrypted(c.engine, c.cipher)
    print(
        f"{counts['rotated']} values re-encrypted, {counts['unreadable']} left (no key opens them)"
    )


def cmd_new_key(_args: argparse.Namespace) -> None:
    """Print a new encryption key for NOTIFICATIONS_ENCRYPTION_KEY."""
    print(new_key())


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run one command."""
    configure_from_env("notifications", os.environ)
    parser = argparse.ArgumentParser(prog="python -m services.notifications")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help=cmd_migrate.__doc__).set_defaults(func=cmd_migrate)
    p = sub.add_parser("translations", help=cmd_translations.__doc__)
    p.set_defaults(func=cmd_translations)
    sub.add_parser("consume", help=cmd_consume.__doc__).set_defaults(func=cmd_consume)
    sub.add_parser("new-key", help=cmd_new_key.__doc__).set_defaults(func=cmd_new_key)
    sub.add_parser("rotate-keys", help=cmd_rotate_keys.__doc__).set_defaults(func=cmd_rotate_keys)
    sub.add_parser("catch-up", help=cmd_catch_up.__doc__).set_defaults(func=cmd_catch_up)
    sub.add_parser("replay-dead", help=cmd_replay_dead.__doc__).set_defaults(func=cmd_replay_dead)
    p = sub.add_parser("load-holidays", help=cmd_load_holidays.__doc__)
    p.add_argument("file")
    p.set_defaults(func=cmd_load_holidays)
    args = parser.parse_args(argv)
    args.func(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
