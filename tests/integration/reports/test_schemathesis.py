"""Hostile input generated from the reports service's OpenAPI document (issue 5)."""

from __future__ import annotations

from tests.support.fuzz import fuzz


def test_the_reports_api_holds_to_its_spec_under_generated_input(reports_client, world):
    app = reports_client.application
    requests, failures = fuzz(app, {"Authorization": f"Bearer {world.tokens['admin_a']}"})
    print(f"\nschemathesis on reports: {requests} requests, {len(failures)} failures")
    assert not failures, "\n\n".join(failures)
