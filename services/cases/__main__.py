"""Command line of the cases service: python -m services.cases <command>."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import timedelta
from pathlib import Path

from services.cases.bootstrap import Container, bootstrap
from services.cases.config import CasesSettings
from services.cases.domain import commands
from services.cases.service_layer import handlers, scheduling
from shared import metrics
from shared.auth import service_token
from shared.errors import AppError
from shared.logging import configure_from_env
from shared.migrations import upgrade

MIGRATIONS = Path(__file__).parent / "migrations"


def _container() -> Container:
    return bootstrap(CasesSettings.from_env(os.environ))


def cmd_migrate(_args: argparse.Namespace) -> None:
    """Apply the database migrations."""
    upgrade(MIGRATIONS, _container().engine)
    print("cases database is up to date")


def cmd_bootstrap(args: argparse.Namespace) -> None:
    """Create a partnership and its first administrator."""
    password = args.admin_password or os.environ.get("CASES_ADMIN_PASSWORD", "")
    if len(password) < 12:
        raise SystemExit(
            "the administrator's password needs at least 12 characters "
            "(--admin-password or CASES_ADMIN_PASSWORD)"
        )
    partnership_id = handlers.create_partnership(
        commands.CreatePartnership(
            name=args.name,
            admin_email=args.admin_email,
            admin_name=args.admin_name,
            admin_password=password,
        ),
        _container().uow(),
    )
    print(f"partnership {partnership_id} created; administrator {args.admin_email}")


def cmd_relay(_args: argparse.Namespace) -> None:
    """Publish outbox events to the Redis Stream until stopped (SIGTERM or SIGINT: the current
    batch is published and marked, the lease released, and the process exits 0)."""
    from services.cases.adapters.relay import run_relay

    c = _container()
    metrics.serve_from_env(os.environ)
    run_relay(
        c.sessions,
        c.redis,
        c.settings.event_stream,
        c.clock,
        c.settings.relay_batch_size,
        c.settings.relay_poll_seconds,
    )


def cmd_notices(_args: argparse.Namespace) -> None:
    """Emit due evaluation/expiry events once (what beat runs periodically)."""
    print(f"{scheduling.emit_scheduled_notices(_container().uow())} events emitted")


def cmd_service_token(args: argparse.Namespace) -> None:
    """Print a token for another service (role `service`), valid for --days."""
    c = _container()
    print(service_token(args.name, c.settings.jwt_secret, c.clock.now(), timedelta(days=args.days)))


def cmd_demo_data(_args: argparse.Namespace) -> None:
    """Load the demo partnership, schools, staff, pupils and cases (once)."""
    from services.cases.demo import load_demo

    print(load_demo(_container()))


def cmd_import(args: argparse.Namespace) -> None:
    """Import pupils (with guardians) or staff from a CSV or XLSX file, acting as a user."""
    import json
    from uuid import UUID

    from services.cases.adapters.spreadsheet import read_sheet
    from services.cases.domain.imports import MAX_FILE_BYTES, ImportPupils, ImportStaff
    from services.cases.service_layer import imports

    c = _container()
    with c.uow() as uow:
        user = uow.repo.user_by_email(args.as_email)
        if user is None or not user.active:
            raise SystemExit(f"no active account {args.as_email}")
        actor = handlers.principal_of(user, uow)
    path = Path(args.file)
    if path.stat().st_size > MAX_FILE_BYTES:
        raise SystemExit(f"{path} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    mapping = json.loads(args.mapping) if args.mapping else None
    school_id, content = UUID(args.school), path.read_bytes()
    if args.command == "import-pupils":
        pupils = ImportPupils(school_id, content, path.name, mapping, args.dry_run)
        report = imports.import_pupils(pupils, c.uow(), actor, read_sheet)
    else:
        staff = ImportStaff(school_id, content, path.name, mapping, args.dry_run)
        report = imports.import_staff(staff, c.uow(), actor, read_sheet)
    for row in report.rows:
        if row.status == "rejected":
            problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in row.errors.items())
            print(f"row {row.row} ({row.key or '-'}): rejected: {problems}")
    counts = ", ".join(f"{n} {status}" for status, n in report.summary.items())
    print(f"{'dry run, nothing written: ' if report.dry_run else ''}{counts}")


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run one command."""
    configure_from_env("cases", os.environ)
    parser = argparse.ArgumentParser(prog="python -m services.cases")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help=cmd_migrate.__doc__).set_defaults(func=cmd_migrate)
    p = sub.add_parser("bootstrap", help=cmd_bootstrap.__doc__)
    p.add_argument("--name", required=True)
    p.add_argument("--admin-email", required=True)
    p.add_argument("--admin-name", default="Beheerder")
    p.add_argument("--admin-password", help="or CASES_ADMIN_PASSWORD")
    p.set_defaults(func=cmd_bootstrap)
    sub.add_parser("relay", help=cmd_relay.__doc__).set_defaults(func=cmd_relay)
    sub.add_parser("notices", help=cmd_notices.__doc__).set_defaults(func=cmd_notices)
    p = sub.add_parser("service-token", help=cmd_service_token.__doc__)
    p.add_argument("--name", required=True)
    p.add_argument("--days", type=int, default=30)
    p.set_defaults(func=cmd_service_token)
    sub.add_parser("demo-data", help=cmd_demo_data.__doc__).set_defaults(func=cmd_demo_data)
    for name in ("import-pupils", "import-staff"):
        p = sub.add_parser(name, help=cmd_import.__doc__)
        p.add_argument("--school", required=True, help="the school's id")
        p.add_argument("--as", dest="as_email", required=True, help="e-mail of the acting user")
        p.add_argument("--mapping", help='JSON, e.g. {"given_name": "Roepnaam"}')
        p.add_argument("--dry-run", action="store_true", help="report only, write nothing")
        p.add_argument("file")
        p.set_defaults(func=cmd_import)
    args = parser.parse_args(argv)
    try:
        args.func(args)
    except AppError as err:
        print(f"error: {err.message} {err.errors or ''}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
