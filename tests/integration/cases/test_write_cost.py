"""What one write of an intervention costs the database (issue 15), counted, never timed: the
case is loaded for update once and answered from (no second read of it after the commit), and
the request's audit row goes into the write's own transaction: one COMMIT. The account check is
one autocommitted SELECT on the audit engine's connection (no BEGIN, no ROLLBACK). A refused
write commits nothing and is still audited, after the request, as before."""

from __future__ import annotations

import sqlalchemy as sa

from tests.integration.cases.test_read_cost import statements
from tests.support.api_flows import intervention_body, open_case, start_intervention


def _engines(container) -> dict[str, sa.Engine]:
    return {
        "main": container.engine,
        "read": container.read_sessions.kw["bind"],
        "audit": container.audit_engine,
    }


def _audit(container) -> list[tuple[str, str, int]]:
    with container.engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT method, endpoint, status FROM audit_log ORDER BY seq"))
        return [tuple(r) for r in rows]


def test_a_post_of_an_intervention_is_one_transaction_with_its_event_and_audit_row(
    world, container
) -> None:
    case = open_case(world)
    path = f"/api/v1/cases/{case['id']}/interventions"
    with statements(**_engines(container)) as seen:
        answer = world.call("coordinator_a1", "POST", path, json=intervention_body())
    assert answer.status_code == 201
    work = [s for s in seen if s[1] != "BEGIN"]  # SQLite's explicit BEGIN (IMMEDIATE)
    assert work == [
        ("audit", "SELECT"),  # the account still counts: autocommitted, outside the write
        ("main", "SELECT"),  # the case, for update
        ("main", "SELECT"),  # the partnership's settings with the school's support profiles
        ("main", "UPDATE"),  # the case's version
        ("main", "INSERT"),  # the intervention
        ("main", "INSERT"),  # its event in the outbox
        ("main", "INSERT"),  # the audit row
        ("main", "COMMIT"),
    ]
    # The answer is what a read of the case shows, with the ETag of the version committed.
    read = world.call("coordinator_a1", "GET", f"/api/v1/cases/{case['id']}")
    assert [answer.json] == [i for i in read.json["interventions"] if i["id"] == answer.json["id"]]
    assert answer.headers["ETag"] == read.headers["ETag"]
    with container.engine.connect() as conn:
        events = conn.execute(
            sa.text("SELECT type FROM outbox WHERE subject_kind = 'intervention'")
        ).all()
    assert [e.type for e in events] == ["intervention.started"]
    rule = "/api/v1/cases/<uuid:case_id>/interventions"
    assert _audit(container)[-2:] == [
        ("POST", rule, 201),
        ("GET", "/api/v1/cases/<uuid:case_id>", 200),
    ]


def test_refused_and_failing_writes_are_audited_once_with_their_status(world, container) -> None:
    case = open_case(world)
    path = f"/api/v1/cases/{case['id']}/interventions"
    assert world.call("coordinator_a2", "POST", path, json=intervention_body()).status_code == 404
    late = intervention_body(evaluate_by="2026-09-01")  # before it starts
    assert world.call("coordinator_a1", "POST", path, json=late).status_code == 422
    assert world.call("teacher_a1", "POST", path, json=intervention_body()).status_code in (
        403,
        404,
    )
    item = start_intervention(world, case["id"])
    evaluation = f"/api/v1/interventions/{item['id']}/evaluation"
    body = {"outcome": "effective", "evaluated_on": "2026-10-12", "note": None}
    assert world.call("coordinator_a1", "POST", evaluation, json=body).status_code == 200
    assert world.call("coordinator_a1", "POST", evaluation, json=body).status_code == 409
    rule = "/api/v1/cases/<uuid:case_id>/interventions"
    statuses = [(r[1], r[2]) for r in _audit(container)[1:]]  # after the case's opening
    assert statuses[:4] == [(rule, 404), (rule, 422), (rule, statuses[2][1]), (rule, 201)]
    assert [s for e, s in statuses[4:]] == [200, 409]
    with container.engine.connect() as conn:
        started = conn.execute(
            sa.text("SELECT count(*) FROM outbox WHERE type = 'intervention.started'")
        ).scalar_one()
    assert started == 1


def test_a_post_of_an_intervention_does_not_load_the_earlier_ones_and_keeps_them(
    world, container
) -> None:
    """The write under the lock does not grow with the case (issue 15): the case is loaded
    for update without its earlier interventions, which stay as they were."""
    case = open_case(world)
    earlier = [start_intervention(world, case["id"])["id"] for _ in range(3)]
    path = f"/api/v1/cases/{case['id']}/interventions"
    read: list[str] = []

    def on_sql(_conn, _cursor, sql, *_args) -> None:
        if sql.lstrip().upper().startswith("SELECT"):
            read.append(sql.lower())

    sa.event.listen(container.engine, "before_cursor_execute", on_sql)
    try:
        answer = world.call("coordinator_a1", "POST", path, json=intervention_body())
    finally:
        sa.event.remove(container.engine, "before_cursor_execute", on_sql)
    assert answer.status_code == 201
    assert read and not any("interventions" in sql for sql in read)
    shown = world.call("coordinator_a1", "GET", f"/api/v1/cases/{case['id']}").json
    assert sorted(i["id"] for i in shown["interventions"]) == sorted([*earlier, answer.json["id"]])
