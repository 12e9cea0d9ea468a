"""Issue 11, item 26: docs/SECURITY.md says what a guardian writes, and the code keeps it. A
guardian cannot record the paper consent (the coordinator records the parents' signed answer);
since issue 13 they answer online on their own child's plan and write the parents' own view,
and the table says so."""

from __future__ import annotations

from tests.conftest import ROOT
from tests.support.api_flows import (
    assert_error,
    consent_body,
    open_case,
    ready_plan,
    request_consent,
)


def guardian_writes() -> str:
    """The 'Writes' cell of the guardian's row of the role table in docs/SECURITY.md."""
    text = (ROOT / "docs" / "SECURITY.md").read_text(encoding="utf-8")
    [row] = [line for line in text.splitlines() if line.startswith("| `guardian` |")]
    return row.split("|")[3].strip()


def test_a_guardian_cannot_record_consent_and_the_security_page_says_so(world):
    case = open_case(world)
    plan = ready_plan(world, case["id"])
    request_consent(world, plan["id"])
    path = f"/api/v1/development-plans/{plan['id']}/consent"
    assert_error(world.call("guardian_a1", "POST", path, json=consent_body(world)), 403)

    writes = guardian_writes()
    assert not writes.startswith("consent"), writes
    assert "their own answer to a consent request (`online-consent`)" in writes
    assert "the parents' own view (`parents-view`)" in writes
    online = f"/api/v1/development-plans/{plan['id']}/online-consent"
    body = {"decision": "agreed", "content_hash": plan["action_plan_hash"]}
    assert_error(world.call("coordinator_a1", "POST", online, json=body), 404)  # theirs only
