"""shared.direct (issue 15) on the delivery's own statements, on SQLite and PostgreSQL: a row read
or returned straight from the DBAPI cursor is the row SQLAlchemy reads (every column type: ids,
UTC instants, dates, JSON, booleans), parameters and the statement's own values bound alike; an
IN of a list is refused; SQLAlchemy's transaction holds what it does (rolled back with it)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import bindparam, insert, select

from services.notifications.adapters import orm
from services.notifications.adapters.store import Store
from services.notifications.adapters.store.delivery import _CLAIM
from shared.crypto import Cipher, new_key
from shared.db import make_engine, session_factory
from shared.direct import Direct
from tests.support.due_rows import due_row

P = orm.planned_notifications
NOW = datetime(2026, 3, 9, 8, 30, 15, 123456, tzinfo=UTC)
BY_ID = select(P).where(P.c.id == bindparam("id"))


@pytest.fixture
def sessions(notifications_databases, db_kind):
    engine = make_engine(notifications_databases.make(db_kind))
    yield session_factory(engine)
    engine.dispose()


def planned(sessions, **fields) -> uuid.UUID:
    row = due_row(
        1,
        "policy",
        NOW,
        recipient_kind="user",
        recipient_id="7",
        recipient_role="coordinator",
        channel="email",
        address="ib@school.example",
        **fields,
    )
    with sessions() as session:
        session.execute(insert(P).values(row))
        session.commit()
    return row["id"]


def test_a_row_read_straight_from_the_cursor_is_the_row_sqlalchemy_reads(sessions, db_kind):
    row_id = planned(
        sessions, due_on=date(2026, 3, 10), context={"reference": "T1", "n": [1]}, status="queued"
    )
    with sessions() as session:
        expected = dict(session.execute(BY_ID, {"id": row_id}).mappings().one())
        found = Direct(BY_ID, session.get_bind().dialect).all(session, {"id": row_id})
    assert found == [expected]
    assert found[0]["send_at"] == NOW and found[0]["due_on"] == date(2026, 3, 10)
    assert found[0]["context"] == {"reference": "T1", "n": [1]} and found[0]["critical"] is True


def test_the_claim_binds_its_own_values_and_returns_the_claimed_row(sessions):
    row_id = planned(sessions, status="queued", attempts=0)
    later = NOW + timedelta(minutes=1)
    values = {"notification_id": row_id, "now": later, "stale_before": NOW}
    with sessions() as session:
        claim = Direct(_CLAIM, session.get_bind().dialect)
        claimed = claim.first(session, values)
        assert claimed is not None
        assert (claimed["id"], claimed["status"], claimed["attempts"]) == (row_id, "sending", 1)
        assert claimed["status_changed_at"] == later
        assert claim.first(session, values) is None  # sending, and not stale: not claimed again
        session.rollback()  # in SQLAlchemy's transaction: undone with it
    with sessions() as session:
        assert session.execute(BY_ID, {"id": row_id}).mappings().one()["status"] == "queued"


def test_an_in_of_a_list_is_refused(sessions):
    with sessions() as session:
        dialect = session.get_bind().dialect
    with pytest.raises(ValueError, match="expanding"):
        Direct(select(P).where(P.c.id.in_(bindparam("ids", expanding=True))), dialect)


def attempts(sessions, row_id) -> list[tuple[int, str]]:
    table = orm.delivery_attempts
    query = select(table.c.attempt, table.c.outcome).where(table.c.notification_id == row_id)
    with sessions() as session:
        return sorted(tuple(r) for r in session.execute(query.order_by(table.c.attempt)))


def test_a_claim_opens_its_attempt_and_closes_one_a_dead_worker_left_open(sessions):
    """Whether a database runs the claim as one statement (PostgreSQL) or three (SQLite)."""
    row_id = planned(sessions, status="queued", attempts=0)
    cipher = Cipher.from_setting(new_key())
    with sessions() as session:
        first = Store(session, cipher).claim(row_id, NOW, NOW - timedelta(minutes=5))
        session.commit()
    assert first is not None and first.attempts == 1
    assert attempts(sessions, row_id) == [(1, "sending")]
    later = NOW + timedelta(minutes=10)  # its worker died: stale
    with sessions() as session:
        store = Store(session, cipher)
        assert store.claim(row_id, NOW + timedelta(minutes=1), NOW) is None  # not stale yet
        second = store.claim(row_id, later, later - timedelta(minutes=5))
        session.commit()
    assert second is not None and second.attempts == 2 and second.status == "sending"
    assert attempts(sessions, row_id) == [(1, "interrupted"), (2, "sending")]
