"""SQLAlchemy engine and session helpers for SQLite (default) and PostgreSQL."""

from __future__ import annotations

import functools
import select as select_module
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Uuid,
    bindparam,
    create_engine,
    event,
    exc,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator


def make_engine(url: str, *, read_only: bool = False, **kwargs: Any) -> Engine:
    """An engine with sane settings: SQLite gets WAL, foreign keys and a busy timeout; its write
    transactions begin IMMEDIATE (no lock upgrade deadlocks), a read-only engine's deferred, so
    readers never hold the write lock (in WAL mode they do not block writers)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin("BEGIN" if read_only else "BEGIN IMMEDIATE"))
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return drop_closed_on_checkout(create_engine(url, **kwargs))


# A connection back in the pool for longer than this is pinged when handed out again.
PING_AFTER_IDLE_SECONDS = 5.0


def drop_closed_on_checkout(engine: Engine) -> Engine:
    """Replace a PostgreSQL connection the server has closed when the pool hands it out, without
    the round trip of `pool_pre_ping` (a `SELECT 1` before every use) on a busy one (issue 15).

    A server that drops a connection (a restart, a crash of PostgreSQL, pg_terminate_backend, an
    idle timeout) sends its FATAL message and closes the socket, which then has something to
    read; an idle, healthy connection has nothing. So a readable socket at checkout means a dead
    connection: the pool discards it and connects anew, and the request goes on. What the socket
    cannot show (a failover that moved the server's address, a machine gone without closing its
    sockets) a ping still finds on a connection idle for more than PING_AFTER_IDLE_SECONDS; a busy
    connection meeting it fails the one request, and the pool then renews all its connections.
    """

    def returned(_dbapi_conn: Any, record: Any) -> None:
        record.info["returned_at"] = time.monotonic()

    def alive(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        if not _looks_open(dbapi_conn):
            raise exc.DisconnectionError("the server closed this connection")
        idle = time.monotonic() - record.info.get("returned_at", float("-inf"))
        if idle > PING_AFTER_IDLE_SECONDS:
            try:
                engine.dialect.do_ping(dbapi_conn)
            except Exception as err:  # noqa: BLE001  (any failure: connect anew)
                raise exc.DisconnectionError("the ping of an idle connection failed") from err

    event.listen(engine, "connect", returned)  # a new connection counts as just used
    event.listen(engine, "checkin", returned)
    event.listen(engine, "checkout", alive)
    return engine


def _looks_open(dbapi_conn: Any) -> bool:
    """Whether an idle psycopg connection is still open, seen without a round trip."""
    if dbapi_conn.closed or dbapi_conn.broken:
        return False
    try:
        fd = dbapi_conn.pgconn.socket
    except Exception:  # noqa: BLE001  (psycopg raises when the connection is gone)
        return False
    poller = select_module.poll()
    poller.register(fd, select_module.POLLIN | select_module.POLLPRI)
    return not poller.poll(0)  # anything to read (a FATAL, end of file) or hung up: dead


# An execution option of a session's connection, given before its transaction begins: how that
# one transaction's SQLite commit reaches the disk. "FULL" (every transaction's default) waits
# for the write-ahead log to reach the disk; "NORMAL" does not, yet survives a crash of the
# process (not of the machine), and the next FULL commit on the database flushes it with its own.
SQLITE_SYNCHRONOUS = "sqlite_synchronous"


def _sqlite_pragmas(dbapi_conn: Any, record: Any) -> None:
    dbapi_conn.isolation_level = None  # transactions are begun explicitly by the "begin" hook
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA synchronous=FULL")
    cur.close()
    record.info[SQLITE_SYNCHRONOUS] = "FULL"


def _sqlite_begin(statement: str) -> Any:
    """The "begin" hook: the connection's synchronous level as its execution options ask (a
    PRAGMA only when it changes; SQLite refuses it inside a transaction), then `statement`."""

    def begin(conn: Any) -> None:
        level = conn.get_execution_options().get(SQLITE_SYNCHRONOUS, "FULL")
        if level != "FULL":  # for this transaction only, on a connection held for several too
            conn.execution_options(**{SQLITE_SYNCHRONOUS: "FULL"})
        driver = conn.connection.driver_connection  # the sqlite3 connection: no SQLAlchemy
        if conn.info.get(SQLITE_SYNCHRONOUS) != level:  # execution around two small statements
            driver.execute(f"PRAGMA synchronous={level}")
            conn.info[SQLITE_SYNCHRONOUS] = level
        driver.execute(statement)

    return begin


def session_factory(engine: Engine) -> sessionmaker:
    """A session factory that keeps loaded objects usable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)


def is_sqlite(engine: Engine) -> bool:
    """Whether the engine talks to SQLite."""
    return engine.dialect.name == "sqlite"


class UtcDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime on every database (SQLite keeps no offset: it is added on read)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an aware UTC instant is required")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class utc_date(FunctionElement[date]):  # noqa: N801 (an SQL function, named as one)
    """The UTC calendar day of a UtcDateTime column, alike on SQLite and PostgreSQL: a sort key
    beside date columns (not the local day, which SQLite cannot compute)."""

    type = Date()
    name = "utc_date"
    inherit_cache = True


@compiles(utc_date, "postgresql")
def _utc_date_postgresql(element: utc_date, compiler: Any, **kw: Any) -> str:
    return f"CAST(({compiler.process(element.clauses, **kw)}) AT TIME ZONE 'UTC' AS DATE)"


@compiles(utc_date, "sqlite")
def _utc_date_sqlite(element: utc_date, compiler: Any, **kw: Any) -> str:
    return f"date({compiler.process(element.clauses, **kw)})"  # stored as naive UTC text


NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# A BIGINT autoincrement that SQLite also increments (it only does so for INTEGER PRIMARY KEY).
SeqType = BigInteger().with_variant(Integer(), "sqlite")


def service_metadata() -> MetaData:
    """A service's MetaData with stable constraint names, so migrations name them alike
    on every database."""
    return MetaData(naming_convention=NAMING_CONVENTION)


def processed_events_table(metadata: MetaData) -> Table:
    """A consumer's record of the event ids it handled, written in the same transaction as the
    effect: the primary key makes handling idempotent."""
    return Table(
        "processed_events",
        metadata,
        Column("event_id", Uuid, primary_key=True),
        Column("event_type", String(64), nullable=False),
        Column("processed_at", UtcDateTime, nullable=False),
    )


def event_log_cursors_table(metadata: MetaData) -> Table:
    """A consumer's cursor in a producer's event log (`name`): every entry up to `seq` is
    processed. The catch-up after a Redis data loss starts there (shared.event_log)."""
    return Table(
        "event_log_cursors",
        metadata,
        Column("name", String(40), primary_key=True),
        Column("seq", BigInteger, nullable=False),
        Column("updated_at", UtcDateTime, nullable=False),
    )


@functools.cache
def _processed_among(processed: Table) -> Any:
    """SELECT the ids among `ids` (expanding) in the processed-events table: built once."""
    column = processed.c.event_id
    return select(column).where(column.in_(bindparam("ids", expanding=True)))


class LogCursors:
    """The cursor and processed-events queries of shared.event_log.CursorStore on a session."""

    def __init__(self, session: Session, cursors: Table, processed: Table) -> None:
        self.session = session
        self.cursors = cursors
        self.processed = processed

    def log_cursor(self, name: str) -> int:
        """The cursor's sequence number; 0 before the first catch-up."""
        query = select(self.cursors.c.seq).where(self.cursors.c.name == name)
        return int(self.session.execute(query).scalar() or 0)

    def set_log_cursor(self, name: str, seq: int, now: datetime) -> None:
        """Move the cursor (created on first use; two catch-ups at once both write)."""
        dialect = self.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        values = {"seq": seq, "updated_at": now}
        statement = insert(self.cursors).values(name=name, **values)
        self.session.execute(statement.on_conflict_do_update(index_elements=["name"], set_=values))

    def processed_among(self, event_ids: list[UUID]) -> set[UUID]:
        """Which of these event ids were processed already."""
        if not event_ids:
            return set()
        query = _processed_among(self.processed)
        return set(self.session.execute(query, {"ids": event_ids}).scalars())
