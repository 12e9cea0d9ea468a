"""A disabled account's token stops working in the notifications service at once, not when it
expires: the cases service's disable endpoint writes the account's validity through to the shared
Redis cache, and notifications asks the cases service when the cache has nothing."""

from __future__ import annotations

from tests.support.world import World


def test_a_disabled_administrator_can_no_longer_read_or_change_policies(
    world: World, notifications_client
) -> None:
    # A second administrator of partnership A disables the first.
    created = world.call(
        "admin_a",
        "POST",
        "/api/v1/users",
        json={"role": "admin", "email": "admin2@a.test", "name": "Admin 2", "password": "x" * 12},
    )
    assert created.status_code == 201, created.json
    login = world.client.post(
        "/api/v1/auth/token", json={"email": "admin2@a.test", "password": "x" * 12}
    )
    second = {"Authorization": f"Bearer {login.json['access_token']}"}
    first = {"Authorization": f"Bearer {world.tokens['admin_a']}"}
    assert notifications_client.get("/api/v1/policies/", headers=first).status_code == 200

    disabled = world.client.post(f"/api/v1/users/{world.users['admin_a']}/disable", headers=second)
    assert disabled.status_code == 200, disabled.json
    refused = notifications_client.get("/api/v1/policies/", headers=first)
    assert refused.status_code == 401
    assert refused.json["code"] == "unauthorized"
    assert notifications_client.get("/api/v1/policies/", headers=second).status_code == 200
