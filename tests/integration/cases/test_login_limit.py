"""The token endpoint refuses after ten failed log-ins for one address and client, for known
and unknown addresses alike, and a good password no longer helps until the window ends."""

from __future__ import annotations

from tests.support.world import PASSWORD


def _login(client, email: str, password: str):
    return client.post("/api/v1/auth/token", json={"email": email, "password": password})


def test_ten_failures_then_429_for_known_and_unknown_addresses(world, client, redis_client):
    for email in ("coordinator_a1@test.nl", "nobody@test.nl"):
        codes = [_login(client, email, "wrong-password").status_code for _ in range(10)]
        assert codes == [401] * 10
        refused = _login(client, email, PASSWORD if "coordinator" in email else "x")
        assert refused.status_code == 429 and refused.json["code"] == "too_many_requests"
    # Another account from the same client is not affected.
    assert _login(client, "teacher_a1@test.nl", PASSWORD).status_code == 200
    assert not any("test.nl" in key for key in redis_client.scan_iter(match="*login-failures*"))
