"""The TLV application (issue 14) over HTTP, on SQLite and PostgreSQL: the coordinator assembles
it from a referral's case with two documents, the parent shares one of them and gives their view,
the director signs off, the coordinator submits without the parents' agreement (flagged); the
consultant sees exactly the shared document, records two advices and a grant, which records the
admission statement on the referral. The outbox carries the three events with exactly the
contract's payloads; every call is audited; bad input and stale versions write nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
import sqlalchemy as sa

from shared.events.envelope import Envelope
from tests.support import api_flows as f
from tests.support.api_flows import assert_error
from tests.support.tlv_flows import (
    CONSULTANT,
    COORD,
    DIRECTOR,
    GRANT,
    PARENT,
    TEXT_VIEW,
    advise,
    app_path,
    make_referral,
    start,
    submitted,
)


@pytest.fixture
def referral(world) -> dict[str, Any]:
    return make_referral(world)


def payloads(container, kind: str) -> list[dict[str, Any]]:
    with container.engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT envelope FROM outbox WHERE type = :t ORDER BY seq"), {"t": kind}
        ).scalars()
        return [json.loads(row) for row in rows]


def test_the_whole_application_from_draft_to_decision(world, container, referral):
    draft = start(world, referral)
    assert draft["status"] == "draft" and draft["case_id"] == referral["case"]["id"]
    assert (draft["pupil_name"], draft["school_name"]) == ("Kind a1 Test", "School A1")
    assert draft["plan"]["id"] == referral["case"]["plans"][0]["id"]
    assert [e["decision"] for e in draft["plan"]["evaluations"]] == ["refer"]
    assert {d["id"] for d in draft["documents"]} == {referral["report"], referral["photo"]}
    assert draft["parents_agreement"] == {
        "status": "none",
        "awaited_guardian_ids": [],
        "answers": [],
    }
    # The parent shares only the report, and writes their view online.
    share = f"/api/v1/documents/{referral['report']}/sharing"
    f.call_ok(world, PARENT, "PUT", share, 200, json={"shared": True})
    seen = f.call_ok(world, PARENT, "GET", app_path(referral), 200)
    assert len(seen["documents"]) == 2
    view = f.call_ok(world, PARENT, "POST", app_path(referral, "/parents-view"), 200,
                     json={"text": TEXT_VIEW})  # fmt: skip
    assert view["parents_view"]["text"] == TEXT_VIEW
    assert view["parents_view"]["channel"] == "online"
    assert view["parents_view"]["guardian_id"] == str(world.guardians["a1"])
    # Not yet for the partnership: a draft is the school's.
    assert_error(world.call(CONSULTANT, "GET", app_path(referral)), 404, "not_found")
    signed = f.call_ok(world, DIRECTOR, "POST", app_path(referral, "/sign-off"), 200, json={})
    assert signed["sign_off"] == {
        "director_id": str(world.users[DIRECTOR]),
        "director_name": DIRECTOR,
        "signed_on": "2026-10-15",
    }
    sent = f.call_ok(world, COORD, "POST", app_path(referral, "/submit"), 200, json={})
    assert (sent["status"], sent["submitted_on"], sent["decide_by"]) == (
        "submitted", "2026-10-15", "2026-11-26",
    )  # fmt: skip
    assert sent["parents_agreed"] is False
    # The consultant sees exactly the shared document.
    shown = f.call_ok(world, CONSULTANT, "GET", app_path(referral), 200)
    assert [d["id"] for d in shown["documents"]] == [referral["report"]]
    assert referral["photo"] not in json.dumps(shown)
    first = advise(world, referral, "psycholoog")
    assert first.status_code == 201, first.json
    assert first.json["status"] == "submitted" and len(first.json["advices"]) == 1
    second = advise(world, referral, "deskundige")
    assert second.json["status"] == "ready_for_decision"
    decided = f.call_ok(world, CONSULTANT, "POST", app_path(referral, "/decision"), 200, json=GRANT)
    assert decided["status"] == "decided"
    assert decided["decision"] == {**GRANT, "decided_on": "2026-10-15"}
    assert decided["parents_agreed"] is False  # flagged up to the decision
    case = f.call_ok(world, COORD, "GET", f"/api/v1/cases/{referral['case']['id']}", 200)
    assert case["referrals"][0]["admission_statement_until"] == "2028-07-31"
    types = [t for t in f.outbox_types(container) if t.startswith("referral.")]
    assert types[-5:] == [
        "referral.submitted",
        "referral.advice_recorded",
        "referral.advice_recorded",
        "referral.decided",
        "referral.admission_statement_recorded",
    ]


def test_the_events_carry_exactly_the_contract(world, container, referral):
    submitted(world, referral)
    advise(world, referral, "orthopedagoog")
    second = advise(world, referral, "deskundige").json
    f.call_ok(world, CONSULTANT, "POST", app_path(referral, "/decision"), 200, json=GRANT)
    ids = {"case_id": referral["case"]["id"], "referral_id": referral["id"]}
    sent, = payloads(container, "referral.submitted")  # fmt: skip
    assert sent["data"] == {
        **ids, "submitted_on": "2026-10-15", "parents_agreed": False, "decide_by": "2026-11-26"
    }  # fmt: skip
    assert sent["subject"] == {"kind": "referral", "id": referral["id"]}
    advices = payloads(container, "referral.advice_recorded")
    assert [a["data"] for a in advices] == [
        {**ids, "advice_id": second["advices"][0]["id"], "adviser_role": "orthopedagoog",
         "recorded_on": "2026-10-15", "complete": False},
        {**ids, "advice_id": second["advices"][1]["id"], "adviser_role": "deskundige",
         "recorded_on": "2026-10-15", "complete": True},
    ]  # fmt: skip
    decided, = payloads(container, "referral.decided")  # fmt: skip
    assert decided["data"] == {
        **ids, "decision": "granted", "decided_on": "2026-10-15", "submitted_on": "2026-10-15",
        "parents_agreed": False, "school_type": "so", "category": "high",
        "valid_from": "2026-11-01", "valid_until": "2028-07-31",
    }  # fmt: skip
    for envelope in [sent, *advices, decided]:
        Envelope.from_json(json.dumps(envelope))  # the shared schema accepts it
        assert "Jansen" not in json.dumps(envelope) and "Toelaatbaar" not in json.dumps(envelope)
