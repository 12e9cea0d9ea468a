"""The audit trail: every read and write of a pupil's data records who, what, when and from
where; only the partnership's administrator reads it; it holds no pupil text; on PostgreSQL the
database itself refuses to change or delete a row."""

from __future__ import annotations

import csv
import io
import uuid

import pytest
import sqlalchemy as sa

from tests.support.api_flows import open_case, start_intervention


def _uuid(value) -> str:
    """Raw SQL gives UUIDs as 32 hex digits on SQLite and as UUID objects on PostgreSQL."""
    return str(uuid.UUID(str(value))) if value is not None else "None"


def _rows(container) -> list[dict]:
    with container.engine.connect() as conn:
        return [
            dict(r)
            for r in conn.execute(sa.text("SELECT * FROM audit_log ORDER BY seq")).mappings()
        ]


def test_reads_writes_and_refusals_are_recorded_without_pupil_text(world, container):
    case = open_case(world)
    start_intervention(world, case["id"])
    assert world.call("coordinator_a1", "GET", f"/api/v1/cases/{case['id']}").status_code == 200
    assert world.call("coordinator_a2", "GET", f"/api/v1/cases/{case['id']}").status_code == 404
    assert world.call("teacher_a1", "GET", "/api/v1/schools").status_code == 200  # not pupil data

    rows = _rows(container)
    seen = [
        (r["role"], r["action"], r["method"], r["endpoint"], _uuid(r["resource_id"]), r["status"])
        for r in rows
    ]
    assert seen == [
        ("coordinator", "write", "POST", "/api/v1/cases", "None", 201),
        (
            "coordinator",
            "write",
            "POST",
            "/api/v1/cases/<uuid:case_id>/interventions",
            case["id"],
            201,
        ),
        ("coordinator", "read", "GET", "/api/v1/cases/<uuid:case_id>", case["id"], 200),
        ("coordinator", "read", "GET", "/api/v1/cases/<uuid:case_id>", case["id"], 404),
    ]
    assert _uuid(rows[-1]["user_id"]) == str(world.users["coordinator_a2"])
    assert all(_uuid(r["partnership_id"]) == str(world.partnership_a) and r["ip"] for r in rows)
    text = " ".join(str(v) for r in rows for v in r.values())
    for private in ("Kind a1", "Ouder a1", "Test", "reading_dyslexia", "Leest"):
        assert private not in text


def test_only_the_partnerships_administrator_reads_and_exports_it(world, container):
    case = open_case(world)
    world.call("coordinator_a1", "GET", f"/api/v1/cases/{case['id']}")
    for who in ("coordinator_a1", "teacher_a1", "consultant_a", "guardian_a1"):
        assert world.call(who, "GET", "/api/v1/audit").status_code == 403
    assert world.call("admin_b", "GET", "/api/v1/audit").json["total"] == 0

    page = world.call("admin_a", "GET", f"/api/v1/audit?resource_id={case['id']}&action=read").json
    assert page["total"] == 1
    assert page["items"][0]["user_id"] == str(world.users["coordinator_a1"])
    response = world.call("admin_a", "GET", "/api/v1/audit/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    table = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert table[0][:3] == ["seq", "at", "user_id"] and len(table) >= 3
    bad = world.call(
        "admin_a",
        "GET",
        "/api/v1/audit?start=2026-10-15T10:00:00%2B00:00&end=2026-10-15T09:00:00%2B00:00",
    )
    assert bad.status_code == 422 and "end" in bad.json["errors"]


def test_postgresql_refuses_to_change_the_trail(world, container, db_kind):
    if db_kind != "postgres":
        pytest.skip("the append-only trigger is PostgreSQL's")
    open_case(world)
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        with container.engine.begin() as conn:
            conn.execute(sa.text("UPDATE audit_log SET status = 200"))
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        with container.engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM audit_log"))
    assert len(_rows(container)) == 1
