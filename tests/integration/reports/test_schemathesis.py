"""Hostile input generated from the reports service's OpenAPI document (issue 5)."""

from __future__ import annotations

import pytest

from tests.support.fuzz import fuzz, fuzz_all_checks


def test_the_reports_api_holds_to_its_spec_under_generated_input(reports_client, world):
    app = reports_client.application
    requests, failures = fuzz(app, {"Authorization": f"Bearer {world.tokens['admin_a']}"})
    print(f"\nschemathesis on reports: {requests} requests, {len(failures)} failures")
    assert not failures, "\n\n".join(failures)


@pytest.mark.fuzz
@pytest.mark.timeout(3600)
def test_make_fuzz_reports(reports_client, world, fuzz_seed):
    """`make fuzz`: 50 examples per operation, every check; no server error."""
    app = reports_client.application
    report = fuzz_all_checks(app, {"Authorization": f"Bearer {world.tokens['admin_a']}"}, fuzz_seed)
    print("\n" + report.summary("reports"))
    print(report.details())
    assert not report.server_errors, "\n\n".join(report.server_errors)
