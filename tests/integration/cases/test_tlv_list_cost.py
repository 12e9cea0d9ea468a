"""What a page of TLV applications (GET /api/v1/applications, issue 14) costs the database,
counted, never timed: the pupils', schools', directors' and documents' lookups are one SELECT each
for the whole page, so a page of four applications costs as many SELECTs as a page of two (9, with
the caller's check and the audit; before, 4 more per application: 13 for two, 21 for four)."""

from __future__ import annotations

from typing import Any

from tests.integration.cases.test_read_cost import statements
from tests.support import api_flows as f
from tests.support import documents as files
from tests.support.tlv_flows import CONSULTANT, COORD, DIRECTOR


def _applications(world, names: list[str]) -> None:
    """A submitted application with one shared document for each new pupil."""
    for name in names:
        f.register_pupil(world, name)
        case, referral = f.referred_case(world, name)
        path = f"/api/v1/cases/{case['id']}/documents"
        doc = f.call_ok(world, COORD, "POST", path, 201, data=files.upload(files.PDF, "r.pdf"))
        api = f"/api/v1/referrals/{referral['id']}/application"
        f.call_ok(world, COORD, "POST", api, 201, json={"document_ids": [doc["id"]]})
        f.call_ok(world, DIRECTOR, "POST", f"{api}/sign-off", 200, json={})
        f.call_ok(world, COORD, "POST", f"{api}/submit", 200, json={})


def _selects(world, container, who: str) -> tuple[int, list[dict[str, Any]]]:
    engines = {
        "main": container.engine,
        "read": container.read_sessions.kw["bind"],
        "audit": container.audit_engine,
    }
    with statements(**engines) as seen:
        answer = world.call(who, "GET", "/api/v1/applications")
    assert answer.status_code == 200, answer.json
    return sum(1 for s in seen if s[1] == "SELECT"), answer.json["items"]


def test_a_page_of_applications_costs_the_same_selects_for_two_items_as_for_four(world, container):
    _applications(world, ["Lijst1", "Lijst2"])
    costs = {}
    for who in (COORD, CONSULTANT):
        costs[who], items = _selects(world, container, who)
        assert len(items) == 2 and all(len(i["documents"]) == 1 for i in items) is (who == COORD)
        assert {i["pupil_name"] for i in items} == {"Lijst1 Test", "Lijst2 Test"}
        assert {i["school_name"] for i in items} == {"School A1"}
    _applications(world, ["Lijst3", "Lijst4"])
    for who in (COORD, CONSULTANT):
        selects, items = _selects(world, container, who)
        assert len(items) == 4
        assert {i["pupil_name"] for i in items} >= {"Lijst3 Test", "Lijst4 Test"}
        assert selects == costs[who], (who, costs[who], selects)
    print("SELECTs for a page:", costs)
