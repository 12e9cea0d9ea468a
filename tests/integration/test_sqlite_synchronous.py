"""shared.db (issue 15): a SQLite transaction waits for the disk at its commit (synchronous
FULL) unless its session's connection asks for NORMAL before it begins, and only that one: the
next transaction on the same pooled connection is FULL again."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text
from sqlalchemy.orm import Session

from shared.db import SQLITE_SYNCHRONOUS, make_engine, session_factory

LEVEL = text("PRAGMA synchronous")  # 1 = NORMAL, 2 = FULL


def test_only_the_transaction_that_asks_commits_without_waiting_for_the_disk(tmp_path: Path):
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}", pool_size=1, max_overflow=0)
    sessions = session_factory(engine)
    try:
        seen = []
        for options in ({}, {SQLITE_SYNCHRONOUS: "NORMAL"}, {}, {SQLITE_SYNCHRONOUS: "NORMAL"}):
            with sessions() as session:
                session.connection(execution_options=options)
                seen.append(session.execute(LEVEL).scalar_one())
                session.commit()
        assert seen == [2, 1, 2, 1]
        with engine.connect() as conn:  # a plain connection too: FULL
            assert conn.execute(LEVEL).scalar_one() == 2
    finally:
        engine.dispose()


def test_on_a_connection_held_for_several_transactions_the_option_lasts_one(tmp_path: Path):
    """A session bound to one connection for several transactions (a part of a dispatch): the
    option given for one transaction does not carry over to the next."""
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    try:
        with engine.connect() as conn, Session(bind=conn) as session:
            seen = []
            for options in ({SQLITE_SYNCHRONOUS: "NORMAL"}, {}, {SQLITE_SYNCHRONOUS: "NORMAL"}, {}):
                session.connection(execution_options=options)
                seen.append(session.execute(LEVEL).scalar_one())
                session.commit()
            assert seen == [1, 2, 1, 2]
    finally:
        engine.dispose()
