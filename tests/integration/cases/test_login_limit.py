"""The token endpoint's limits on failed log-ins, for known and unknown addresses alike:
- ten for one e-mail address from one client; then even the right password is refused (429)
  until the window ends, while other clients and other accounts go on;
- a number per client over all e-mail addresses (one password tried on many accounts);
- the client is the connection's address, behind trusted proxies the forwarded one, and for the
  web front end the browser's it names in X-Login-Client next to its service token (only then).
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest

from services.cases.app import create_app
from services.cases.bootstrap import bootstrap
from shared.auth import service_token
from shared.login_limiter import LOGIN_CLIENT_HEADER
from tests.conftest import JWT_SECRET, NOW
from tests.support.world import PASSWORD

TOKEN = "/api/v1/auth/token"


def _login(client, email: str, password: str, remote: str = "127.0.0.1", **headers: str):
    return client.post(
        TOKEN,
        json={"email": email, "password": password},
        headers=headers,
        environ_base={"REMOTE_ADDR": remote},
    )


def test_ten_failures_then_429_for_known_and_unknown_addresses(world, client, redis_client):
    for email in ("coordinator_a1@test.nl", "nobody@test.nl"):
        codes = [_login(client, email, "wrong-password").status_code for _ in range(10)]
        assert codes == [401] * 10
        refused = _login(client, email, PASSWORD if "coordinator" in email else "x")
        assert refused.status_code == 429 and refused.json["code"] == "too_many_requests"
    # Another account from the same client is not affected, nor the account from elsewhere.
    assert _login(client, "teacher_a1@test.nl", PASSWORD).status_code == 200
    assert _login(client, "coordinator_a1@test.nl", PASSWORD, "10.1.2.3").status_code == 200
    assert not any("test.nl" in key for key in redis_client.scan_iter(match="*login-failures*"))


@pytest.fixture
def strict(container, clock) -> Iterator:
    """The cases app with 5 failures per client, behind one trusted proxy."""
    settings = dataclasses.replace(
        container.settings, login_failures_per_client=5, trusted_proxy_hops=1
    )
    other = bootstrap(settings, clock=clock)
    yield create_app(container=other).test_client()
    other.close()


def test_one_client_trying_many_accounts_is_stopped(world, strict):
    proxy = "10.0.0.1"  # every request comes through the proxy; it names the client
    sprayer = {"X-Forwarded-For": "203.0.113.9"}
    for n in range(5):
        response = _login(strict, f"user{n}@test.nl", "Zomer2026!", proxy, **sprayer)
        assert response.status_code == 401
    stopped = _login(strict, "admin@a.test", PASSWORD, proxy, **sprayer)
    assert stopped.status_code == 429
    # Someone else behind the same proxy logs in: the proxy's address is not the client.
    colleague = {"X-Forwarded-For": "198.51.100.20"}
    assert _login(strict, "admin@a.test", PASSWORD, proxy, **colleague).status_code == 200


def test_only_a_service_may_name_the_client_it_logs_in_for(world, strict):
    direct = "192.0.2.50"
    # A browser naming another client in the header is counted under its own address.
    for n in range(5):
        spoofed = {LOGIN_CLIENT_HEADER: f"198.51.100.{n}", "X-Forwarded-For": direct}
        assert _login(strict, f"user{n}@test.nl", "x", "10.0.0.1", **spoofed).status_code == 401
    own = {"X-Forwarded-For": direct}
    assert _login(strict, "admin@a.test", PASSWORD, "10.0.0.1", **own).status_code == 429
    # The web front end, with its service token, names the browser: that browser's count goes on.
    token = service_token("web", JWT_SECRET, NOW, timedelta(minutes=5))
    front = {"Authorization": f"Bearer {token}", "X-Forwarded-For": "10.9.9.9"}
    for n in range(5):
        named = {**front, LOGIN_CLIENT_HEADER: "203.0.113.77"}
        assert _login(strict, f"user{n}@test.nl", "x", "10.0.0.1", **named).status_code == 401
    named = {**front, LOGIN_CLIENT_HEADER: "203.0.113.77"}
    assert _login(strict, "admin@a.test", PASSWORD, "10.0.0.1", **named).status_code == 429
    # ... and another browser through the same front end is not affected.
    other = {**front, LOGIN_CLIENT_HEADER: "203.0.113.78"}
    assert _login(strict, "admin@a.test", PASSWORD, "10.0.0.1", **other).status_code == 200
    # A person's token does not make the header believed.
    person = {"Authorization": f"Bearer {world.tokens['coordinator_a1']}"}
    believed = {**person, LOGIN_CLIENT_HEADER: "203.0.113.90", "X-Forwarded-For": direct}
    assert _login(strict, "admin@a.test", PASSWORD, "10.0.0.1", **believed).status_code == 429


@pytest.fixture
def on_any_redis(container, clock, any_redis_url) -> Iterator:
    """The cases app on each supported Redis in turn: the machine's 7.x and a 6.2 (the demo's)."""
    other = bootstrap(dataclasses.replace(container.settings, redis_url=any_redis_url), clock=clock)
    yield create_app(container=other).test_client()
    other.close()


def test_the_limits_count_on_every_supported_redis(world, on_any_redis):
    """Redis 6.2 has no EXPIRE ... NX: each failure must still be counted, never a 500."""
    codes = [_login(on_any_redis, "coordinator_a1@test.nl", "wrong").status_code for _ in range(10)]
    assert codes == [401] * 10
    refused = _login(on_any_redis, "coordinator_a1@test.nl", PASSWORD)
    assert refused.status_code == 429 and refused.json["code"] == "too_many_requests"


def test_the_window_starts_at_the_first_failure_and_is_not_stretched(any_redis_url):
    """The first failure of a window sets its expiry; later ones leave it (a fixed window)."""
    import redis

    from shared.login_limiter import LoginLimiter

    client = redis.Redis.from_url(any_redis_url, decode_responses=True)
    limiter = LoginLimiter(client, f"test-{uuid.uuid4().hex}", limit=3, window_seconds=900)
    key = limiter._key("someone@test.nl", "192.0.2.1")
    try:
        limiter.failed("someone@test.nl", "192.0.2.1")
        client.expire(key, 100)  # as if 800 s of the window had passed
        limiter.failed("someone@test.nl", "192.0.2.1")
        assert client.get(key) == "2"
        assert 0 < client.ttl(key) <= 100
    finally:
        client.delete(key)
        client.close()


def test_sign_in_link_requests_are_limited_on_every_supported_redis(
    world, container, clock, on_any_redis
):
    """Issue 13: the parents' link requests use the same SET NX EX + INCR counter."""
    from tests.integration.cases.test_guardian_sign_in import LINK, web

    limit = container.settings.guardian_links_per_address
    codes = [
        on_any_redis.post(
            LINK, json={"email": "x@test.nl"}, headers=web(container, clock)
        ).status_code
        for _ in range(limit + 1)
    ]
    assert codes == [202] * limit + [429]
