"""What every part of the store shares: its session and cipher, the planned_notifications and
delivery_attempts columns, and the literal statuses the partial indexes name."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, String, case, cast, literal_column
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from services.notifications.adapters import orm
from shared.crypto import Cipher
from shared.db import SQLITE_SYNCHRONOUS
from shared.direct import Direct, direct

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


# PostgreSQL: a commit that does not wait for its WAL to reach the disk (this transaction only).
RELAXED_COMMIT = "SET LOCAL synchronous_commit TO OFF; COMMIT"


class StoreBase:
    """One transaction's session, and the cipher of group channels' URLs."""

    def __init__(self, session: Session, cipher: Cipher) -> None:
        self.session = session
        self.cipher = cipher
        self._relaxed = False

    def commit(self) -> None:
        """Commit; a relaxed transaction (`relax`) without waiting for the disk."""
        if self._relaxed and self.session.get_bind().dialect.name == "postgresql":
            # One round trip, not two: psycopg sees the transaction ended, and the session's
            # commit that follows finds nothing left to commit.
            self.session.connection().exec_driver_sql(RELAXED_COMMIT)
        self._relaxed = False
        self.session.commit()

    def relax(self) -> None:
        """Let this transaction's commit return before it reaches the disk; call it before the
        transaction's first statement. Such a commit is seen by every other connection at once
        and survives a crash of the process that made it, not a crash of the database (machine):
        PostgreSQL commits with `synchronous_commit` off for this transaction alone (its WAL is
        flushed within a fraction of a second, or by the next full commit), SQLite at
        `synchronous=NORMAL` (its write-ahead log reaches the disk with the next full commit or
        checkpoint). A full commit after it flushes it too: the log is written in order."""
        self.session.connection(execution_options={SQLITE_SYNCHRONOUS: "NORMAL"})
        self._relaxed = True

    def direct(self, statement: Any) -> Direct:
        """`statement` (one built once, at import) compiled for this database, to run straight
        on the cursor (shared.direct)."""
        return direct(self.session.get_bind().dialect, id(statement), lambda: statement)

    def _dialect_insert(self) -> Any:
        """The dialect's INSERT (with ON CONFLICT) of the session's database."""
        dialect = self.session.get_bind().dialect.name
        return postgresql.insert if dialect == "postgresql" else sqlite.insert
