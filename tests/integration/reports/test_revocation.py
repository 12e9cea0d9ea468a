"""A disabled account's token stops working in the reports service at once, not when it expires:
the cases service's disable endpoint leaves a marker in the shared Redis (shared.revocation)."""

from __future__ import annotations

from tests.support.world import World


def test_a_disabled_coordinator_gets_no_report_and_an_enabled_one_does(
    world: World, reports_client
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
    assert reports_client.get(path, headers=headers).status_code == 200
