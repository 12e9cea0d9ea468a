"""The console's sessions live in Redis (shared.sessions): the cookie holds only a random id and
no bearer token, and a log-out or a refused token ends the session at once, so replaying the old
cookie lands on the log-in page."""

from __future__ import annotations

import base64
import binascii
import zlib

from flask.testing import FlaskClient

from services.notifications.console.web import SESSION_PREFIX
from shared.sessions import RedisSessionInterface
from tests.integration.notifications.test_console import csrf, log_in

COOKIE = "console_session"


def cookie_of(client: FlaskClient) -> str:
    found = client.get_cookie(COOKIE, path="/console")
    assert found is not None
    return found.value


def replay(client: FlaskClient, value: str) -> FlaskClient:
    """A fresh browser that sends only the given cookie."""
    other = client.application.test_client()
    other.set_cookie(COOKIE, value, path="/console")
    return other


def decoded_parts(value: str) -> list[bytes]:
    """Every dot-separated part of a cookie, base64-decoded (and inflated) where it can be: what
    anyone holding the cookie can read without a key."""
    parts = []
    for part in value.lstrip(".").split("."):
        try:
            raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        except (binascii.Error, ValueError):
            continue
        try:
            raw = zlib.decompress(raw)
        except zlib.error:
            pass
        parts.append(raw)
    return parts


def session_record_exists(notifications, value: str) -> bool:
    interface = RedisSessionInterface(notifications.redis, 60, prefix=SESSION_PREFIX)
    return bool(notifications.redis.exists(interface.key(value)))


def test_the_cookie_holds_no_bearer_token(notifications_client, world):
    assert log_in(notifications_client, "admin@a.test").status_code == 302
    value = cookie_of(notifications_client)
    for part in [value.encode(), *decoded_parts(value)]:
        assert b"eyJ" not in part and b"token" not in part  # no JWT, no session contents
    assert len(value) == 43 and "." not in value  # 32 random bytes, nothing else


def test_a_replayed_cookie_after_log_out_lands_on_the_log_in_page(
    notifications_client, world, notifications
):
    client = notifications_client
    assert log_in(client, "admin@a.test").status_code == 302
    old = cookie_of(client)
    assert replay(client, old).get("/console/").status_code == 200
    assert session_record_exists(notifications, old)

    out = client.post("/console/logout", data={"csrf_token": csrf(client, "/console/")})
    assert out.status_code == 302 and out.location.endswith("/console/login")
    assert not session_record_exists(notifications, old)
    replayed = replay(client, old).get("/console/")
    assert replayed.status_code == 302 and "/console/login" in replayed.location
    assert client.get("/console/").status_code == 302  # and the browser itself is out


def test_the_log_in_gives_a_new_session_id(notifications_client, world, notifications):
    client = notifications_client
    csrf(client)  # an anonymous session, as a planted cookie would be
    before = cookie_of(client)
    assert log_in(client, "admin@a.test").status_code == 302
    assert cookie_of(client) != before
    assert not session_record_exists(notifications, before)


def test_disabling_the_account_ends_the_console_session(notifications_client, world, notifications):
    client = notifications_client
    assert log_in(client, "coordinator_a1@test.nl").status_code == 302
    old = cookie_of(client)
    disabled = world.call(
        "admin_a", "POST", f"/api/v1/users/{world.users['coordinator_a1']}/disable"
    )
    assert disabled.status_code == 200
    refused = client.get("/console/")
    assert refused.status_code == 302 and "/console/login" in refused.location
    assert not session_record_exists(notifications, old)
