"""What remains of the console on the real notifications app: log-in through the real cases
service (over HTTP in a thread), the session cookie, CSRF, the page that says where the
administrators' pages went (services/web), and the guardian's preference page. The policies, the
delivery log, report schedules and evaluations are tested as web pages (test_web_*.py)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.integration.notifications.helpers import bearer
from tests.support.world import PASSWORD

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf(client: FlaskClient, path: str = "/console/login") -> str:
    """The CSRF token of the session, as a page's form carries it."""
    response = client.get(path)
    found = CSRF.search(response.get_data(as_text=True))
    assert found, response.get_data(as_text=True)
    return found.group(1)


def log_in(client: FlaskClient, email: str, password: str = PASSWORD) -> Any:
    return client.post(
        "/console/login",
        data={"email": email, "password": password, "csrf_token": csrf(client)},
    )


def page(response: Any) -> str:
    return response.get_data(as_text=True)


def api_get(client: FlaskClient, world, who: str, path: str) -> Any:
    """The notifications API's answer to one of the world's people."""
    response = client.get(path, headers=bearer(world.tokens[who]))
    assert response.status_code == 200, response.json
    return response.json


@pytest.fixture
def console(notifications_client: FlaskClient, world) -> FlaskClient:
    """A browser session of the partnership's administrator."""
    response = log_in(notifications_client, "admin@a.test")
    assert response.status_code == 302, page(response)
    return notifications_client


def test_log_in_is_dutch_sets_a_safe_cookie_and_refuses_a_form_without_csrf(
    notifications_client, world
):
    client = notifications_client
    start = client.get("/console/")
    assert start.status_code == 302 and start.location.endswith("/console/login")
    login = client.get("/console/login")
    assert '<html lang="nl">' in page(login) and "<h1>Inloggen</h1>" in page(login)
    assert '<label for="email">E-mailadres</label>' in page(login)

    no_csrf = client.post("/console/login", data={"email": "admin@a.test", "password": PASSWORD})
    assert no_csrf.status_code == 400 and "Het formulier is verlopen" in page(no_csrf)

    wrong = log_in(client, "admin@a.test", "not-the-password")
    assert wrong.status_code == 401
    assert "Het e-mailadres of het wachtwoord klopt niet." in page(wrong)

    right = log_in(client, "admin@a.test")
    assert right.status_code == 302
    cookie = right.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/console" in cookie
    moved = client.get("/console/")
    assert moved.status_code == 200 and "De beheerpagina&#39;s zijn verhuisd" in page(moved)
    assert 'href="http://127.0.0.1:8000/" id="to-web"' in page(moved)  # the web front end
    # The API still wants its bearer token: the console's cookie opens nothing there.
    assert client.get("/api/v1/policies/").status_code == 401


def test_too_many_failed_log_ins_are_refused_politely(notifications_client, world):
    notifications_client.environ_base["REMOTE_ADDR"] = "203.0.113.5"
    for _ in range(10):
        assert log_in(notifications_client, "admin@a.test", "wrong").status_code == 401
    refused = log_in(notifications_client, "admin@a.test")
    assert refused.status_code == 429
    assert "Te veel mislukte pogingen" in page(refused)
    # The cases service counts per browser, not per console: the administrator, at their own
    # computer, still logs in through the same console.
    own = notifications_client.application.test_client()
    own.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    assert log_in(own, "admin@a.test").status_code == 302


@pytest.mark.parametrize(
    "target",
    [
        "/console/deliveries\r\nSet-Cookie: stolen=1",  # issue 11, item 13: was a 500
        "/console/deliveries\nX: y",
        "/console/\tdeliveries",
        "//evil.example/console/",
        "/console/\\\\evil.example",
        "https://evil.example/console/",
        "/elsewhere/",
    ],
)
def test_log_in_sends_an_unsafe_next_home_never_a_500(notifications_client, world, target):
    data = {"email": "admin@a.test", "password": PASSWORD, "next": target}
    response = notifications_client.post(
        "/console/login", data={**data, "csrf_token": csrf(notifications_client)}
    )
    assert response.status_code == 302, page(response)
    assert response.headers["Location"] == "/console/"
    again = notifications_client.get("/console/login", query_string={"next": target})
    assert again.status_code == 302 and again.headers["Location"] == "/console/"


def test_log_in_returns_to_a_safe_next(notifications_client, world):
    target = "/console/?lang=en"
    data = {"email": "admin@a.test", "password": PASSWORD, "next": target}
    response = notifications_client.post(
        "/console/login", data={**data, "csrf_token": csrf(notifications_client)}
    )
    assert response.status_code == 302 and response.headers["Location"] == target
