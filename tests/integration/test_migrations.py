"""Each service's migrations build exactly the schema its tables describe, on SQLite and on
PostgreSQL: a model change without a migration fails here."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from shared.db import make_engine
from shared.migrations import upgrade
from tests.conftest import ROOT
from tests.support.databases import DatabaseFactory


def _metadata(service: str):
    if service == "cases":
        from services.cases.adapters.orm import metadata
    elif service == "notifications":
        from services.notifications.adapters.orm import metadata
    else:
        from services.reports.adapters.orm import metadata
    return metadata


@pytest.mark.parametrize("service", ["cases", "notifications", "reports"])
@pytest.mark.parametrize("db_kind", ["sqlite", "postgres"])
def test_migrations_match_the_tables(service: str, db_kind: str, tmp_path: Path) -> None:
    factory = DatabaseFactory(ROOT / "services" / service / "migrations", tmp_path)
    try:
        engine = make_engine(factory.make(db_kind))
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), _metadata(service))
        engine.dispose()
    finally:
        factory.drop_all()
    assert diff == []


def _policy_row(key: str, scope: str, event_types: list[str], lead_times: list[int]) -> dict:
    return {
        "id": uuid.uuid4(),
        "partnership_id": PARTNERSHIP,
        "school_id": None if scope == "*" else uuid.UUID(scope),
        "scope": scope,
        "key": key,
        "name": key,
        "enabled": True,
        "spec": {"event_types": event_types, "lead_times_days": lead_times},
        "group_urls": "",
        "updated_at": datetime(2026, 11, 1, tzinfo=UTC),
    }


PARTNERSHIP = uuid.UUID("00000000-0000-4000-8000-00000000000a")
SCHOOL = "00000000-0000-4000-8000-0000000000b1"
MEETING_EVENTS = ["development_plan.meeting_planned", "development_plan.meeting_moved"]


@pytest.mark.parametrize("db_kind", ["sqlite", "postgres"])
def test_existing_meeting_policies_get_the_day_before_reminder(db_kind: str, tmp_path: Path):
    """Migration 0004: a meeting policy from before reminders existed (no lead times, which
    could not be set then) gets the default reminder the day before, partnership-wide and per
    school; lead times an administrator set, and other policies, stay as they are."""
    from services.notifications.adapters.orm import policies

    factory = DatabaseFactory(ROOT / "services" / "notifications" / "migrations", tmp_path)
    try:
        engine = make_engine(factory.at_revision(db_kind, "0003"))
        before = {
            "partnership": _policy_row("evaluation_meeting", "*", MEETING_EVENTS, []),
            "school": _policy_row("evaluation_meeting", SCHOOL, MEETING_EVENTS, []),
            "set": _policy_row(
                "evaluation_meeting", "00000000-0000-4000-8000-0000000000b2", MEETING_EVENTS, [2, 7]
            ),
            "other": _policy_row("plan_evaluation", "*", ["development_plan.evaluated"], []),
        }
        with engine.begin() as conn:
            conn.execute(policies.insert(), list(before.values()))
        upgrade(ROOT / "services" / "notifications" / "migrations", engine)
        with engine.connect() as conn:
            after = dict(conn.execute(sa.select(policies.c.id, policies.c.spec)).all())
        engine.dispose()
    finally:
        factory.drop_all()
    lead_times = {name: after[row["id"]]["lead_times_days"] for name, row in before.items()}
    assert lead_times == {"partnership": [1], "school": [1], "set": [2, 7], "other": []}
    assert after[before["school"]["id"]]["event_types"] == MEETING_EVENTS


@pytest.mark.parametrize("db_kind", ["sqlite", "postgres"])
def test_partnerships_made_before_their_event_existed_get_it_once(db_kind: str, tmp_path: Path):
    """Cases migration 0008: every partnership without a `partnership.registered` in the outbox
    (the event log the reports service replays) gets one, with its name; one that has it gets
    none."""
    from services.cases.adapters.orm import outbox, partnerships
    from services.cases.adapters.outbox import to_envelope
    from services.cases.domain.events import PartnershipRegistered
    from services.cases.domain.school import PartnershipSettings
    from shared.events import Envelope

    old, told = uuid.uuid4(), uuid.uuid4()
    now = datetime(2026, 11, 1, tzinfo=UTC)
    factory = DatabaseFactory(ROOT / "services" / "cases" / "migrations", tmp_path)
    try:
        engine = make_engine(factory.at_revision(db_kind, "0007"))
        told_event = to_envelope(
            PartnershipRegistered(partnership_id=told, school_id=None, name="SWV Verteld"), now
        )
        with engine.begin() as conn:
            conn.execute(
                partnerships.insert(),
                [
                    {"id": old, "name": "SWV Zuid-Kennemerland", "settings": PartnershipSettings()},
                    {"id": told, "name": "SWV Verteld", "settings": PartnershipSettings()},
                ],
            )
            conn.execute(
                outbox.insert().values(
                    id=told_event.id,
                    type=told_event.type,
                    version=1,
                    occurred_at=now,
                    partnership_id=told,
                    school_id=None,
                    subject_kind="partnership",
                    subject_id=told,
                    envelope=told_event.to_json(),
                )
            )
        upgrade(ROOT / "services" / "cases" / "migrations", engine)
        upgrade(ROOT / "services" / "cases" / "migrations", engine)  # a second run adds nothing
        with engine.connect() as conn:
            rows = conn.execute(sa.select(outbox).order_by(outbox.c.seq)).mappings().all()
        engine.dispose()
    finally:
        factory.drop_all()
    assert [(r["type"], r["partnership_id"]) for r in rows] == [
        ("partnership.registered", told),
        ("partnership.registered", old),
    ]
    added = rows[1]
    envelope = Envelope.from_json(added["envelope"])  # valid against the event catalog
    assert envelope.id == added["id"]
    assert envelope.type == "partnership.registered" and envelope.school_id is None
    assert (envelope.subject.kind, envelope.subject.id) == ("partnership", old)
    assert envelope.data == {"name": "SWV Zuid-Kennemerland"}
    assert added["published_at"] is None  # the relay publishes it like any other event
