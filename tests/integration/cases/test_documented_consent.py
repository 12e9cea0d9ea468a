"""Issue 11, item 26: docs/SECURITY.md says what a guardian writes, and the code keeps it. A
guardian cannot record consent (the coordinator records the parents' answer); when online consent
is built, this test fails until the table says so."""

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
    assert "Consent is recorded by the coordinator" in writes
    assert "cannot give it online yet" in writes
