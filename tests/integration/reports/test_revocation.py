"""A disabled account's token stops working in the reports service at once, not when it expires:
the cases service's disable endpoint writes the account's validity through to the shared Redis
cache, and reports asks the cases service when the cache has nothing (shared.revocation)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.support.world import PASSWORD, World


@pytest.fixture
def minted_tokens() -> bool:
    return False  # the world's real accounts; the reports service asks the cases service


def test_a_disabled_coordinator_gets_no_report_and_an_enabled_one_does_after_a_new_log_in(
    world: World, reports_client, clock
) -> None:
    coordinator = world.users["coordinator_a1"]
    path = f"/api/v1/reports/schools/{world.school_a1}?start=2026-08-01&end=2026-10-31"
    headers = {"Authorization": f"Bearer {world.tokens['coordinator_a1']}"}
    assert reports_client.get(path, headers=headers).status_code == 200

    assert world.call("admin_a", "POST", f"/api/v1/users/{coordinator}/disable").status_code == 200
    refused = reports_client.get(path, headers=headers)
    assert refused.status_code == 401
    assert refused.json["code"] == "unauthorized"
    # Everyone else is unaffected.
    director = {"Authorization": f"Bearer {world.tokens['director_a1']}"}
    assert reports_client.get(path, headers=director).status_code == 200

    assert world.call("admin_a", "POST", f"/api/v1/users/{coordinator}/enable").status_code == 200
    # The token issued before the disable stays dead; a new log-in works.
    assert reports_client.get(path, headers=headers).status_code == 401
    clock.advance(timedelta(seconds=1))
    login = world.client.post(
        "/api/v1/auth/token", json={"email": "coordinator_a1@test.nl", "password": PASSWORD}
    )
    fresh = {"Authorization": f"Bearer {login.json['access_token']}"}
    assert reports_client.get(path, headers=fresh).status_code == 200
