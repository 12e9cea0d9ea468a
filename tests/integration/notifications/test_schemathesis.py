"""Hostile input generated from the notifications service's OpenAPI document (issue 5)."""

from __future__ import annotations

from tests.support.fuzz import fuzz


def test_the_notifications_api_holds_to_its_spec_under_generated_input(notifications_client, world):
    app = notifications_client.application
    requests, failures = fuzz(app, {"Authorization": f"Bearer {world.tokens['admin_a']}"})
    print(f"\nschemathesis on notifications: {requests} requests, {len(failures)} failures")
    assert not failures, "\n\n".join(failures)
