"""What every part of the store shares: its session and cipher, the planned_notifications and
delivery_attempts columns, and the literal statuses the partial indexes name."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, String, case, cast, literal_column, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from services.notifications.adapters import orm
from shared.crypto import Cipher
from shared.db import SQLITE_SYNCHRONOUS

P = orm.planned_notifications.c
A = orm.delivery_attempts.c
# The partial indexes' own conditions, written as literals: SQLite uses a partial index only when
# the query's WHERE names its condition's values, and `status IN (?, ?)` with bound parameters
# does not (a full scan and a sort of every row); `status = 'planned'` and the literal IN do.
PLANNED: ColumnElement[Any] = literal_column("'planned'")
INFLIGHT_LITERAL: tuple[ColumnElement[Any], ...] = (
    literal_column("'queued'"),
    literal_column("'sending'"),
)
INFLIGHT = ("queued", "sending")
FINISHED = ("sent", "failed", "dead", "cancelled")
# What a scrubbed error reads: the text may have quoted the address (an SMTP server's refusal).
REDACTED = "removed"
INTERRUPTED = "worker stopped mid-delivery"


def freed_dedupe_key() -> ColumnElement[Any]:
    """SQL: a cancelled row's dedupe key, freed so a date moved back is plannable again."""
    return P.dedupe_key + "|cancelled:" + cast(P.id, String)


def redacted(column: Any, keep: tuple[str, ...]) -> Any:
    """SQL: the column's text if empty or one of `keep`, else REDACTED."""
    return case((column.is_(None), None), (column.in_(keep), column), else_=REDACTED)


class StoreBase:
    """One transaction's session, and the cipher of group channels' URLs."""

    def __init__(self, session: Session, cipher: Cipher) -> None:
        self.session = session
        self.cipher = cipher

    def commit(self) -> None:
        self.session.commit()

    def begin_claim(self) -> None:
        """Begin a delivery's claim: its commit must be seen by every worker at once, but it need
        not survive a crash of the machine on its own. SQLite commits it without waiting for the
        write-ahead log to reach the disk (`synchronous=NORMAL` for this transaction, which still
        survives a crash of the process). The acceptance, committed after the send in full as
        always, flushes the log and with it the claim; a claim lost with the machine only puts
        its row back in the queue (sent again, never lost). Call it before the transaction's
        first statement."""
        self.session.connection(execution_options={SQLITE_SYNCHRONOUS: "NORMAL"})

    def commit_claim(self) -> None:
        """Commit a delivery's claim (see `begin_claim`): PostgreSQL without waiting for its WAL
        to reach the disk (`synchronous_commit` off for this transaction only)."""
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.execute(text("SET LOCAL synchronous_commit TO OFF"))
        self.session.commit()

    def _dialect_insert(self) -> Any:
        """The dialect's INSERT (with ON CONFLICT) of the session's database."""
        dialect = self.session.get_bind().dialect.name
        return postgresql.insert if dialect == "postgresql" else sqlite.insert
