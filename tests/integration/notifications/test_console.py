"""The console's pages on the real notifications app: log-in through the real cases service (over
HTTP in a thread), the session cookie, CSRF, the API's validation shown per field in Dutch, the
API's authorization, the retry of a dead notification and the guardian's preference page.

The browser test (tests/e2e/test_console.py) drives the same pages in Chromium."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.conftest import NOW
from tests.integration.notifications.helpers import MAX_ATTEMPTS, bearer, rows
from tests.integration.notifications.test_delivery import deliver_due, guardian_row, started_case
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
    assert client.get("/console/").location.endswith("/console/policies")
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


def test_the_policies_page_warns_when_the_coming_school_years_holidays_are_missing(
    console, notifications
):
    """The shipped file holds 2026-2027: no warning now; from 1 April 2027 the next school
    year's holidays are needed, and the administrator is told what to ask for."""
    assert 'id="holidays-missing"' not in page(console.get("/console/policies"))
    notifications.clock.set(datetime(2027, 4, 1, 8, 0, tzinfo=UTC))
    assert log_in(console, "admin@a.test").status_code == 302  # the old token expired
    warned = page(console.get("/console/policies"))
    assert 'id="holidays-missing"' in warned
    assert "De schoolvakanties van 2027-2028 zijn nog niet geladen" in warned


def test_the_administrator_creates_edits_and_disables_a_policy(console, world, notifications):
    form = {
        "csrf_token": csrf(console, "/console/policies/new"),
        "key": "Niet Goed",
        "name": "Herinnering IB",
        "lead_times_days": "7, x",
        "send_hour": "8",
        "quiet_start": "20:00",
        "quiet_end": "07:00",
        "delivery": "immediate",
    }
    refused = console.post("/console/policies/new", data=form)
    assert refused.status_code == 422
    body = page(refused)
    assert "Het beleid is niet opgeslagen" in body
    assert "Alleen kleine letters, cijfers en _" in body  # the API schema's rule, in Dutch
    assert "Vul hele getallen in, gescheiden door komma" in body
    assert 'value="Herinnering IB"' in body  # what was typed stays

    form.update(key="herinnering_ib", lead_times_days="7", event_types="intervention.started")
    domain = console.post("/console/policies/new", data=form)
    assert domain.status_code == 422  # no recipient: the domain's rule, next to the matrix
    assert "Kies minstens één ontvanger met een kanaal" in page(domain)

    form["channels.coordinator"] = "email"
    created = console.post("/console/policies/new", data=form)
    assert created.status_code == 302, page(created)
    listed = console.get("/console/policies")
    assert "Beleid “Herinnering IB” is opgeslagen." in page(listed)
    api = api_get(console, world, "admin_a", "/api/v1/policies/")
    [policy] = [p for p in api if p["key"] == "herinnering_ib"]
    assert policy["channels"] == {"coordinator": ["email"]} and policy["lead_times_days"] == [7]

    again = console.post("/console/policies/new", data=form)
    assert again.status_code == 422 and "Deze sleutel is al in gebruik" in page(again)

    edit = f"/console/policies/{policy['id']}/edit"
    assert 'value="herinnering_ib"' in page(console.get(edit))
    changed = console.post(edit, data={**form, "name": "Herinnering voor de IB'er"})
    assert changed.status_code == 302
    off = console.post(
        f"/console/policies/{policy['id']}/enabled",
        data={"csrf_token": csrf(console, "/console/policies"), "enabled": "false"},
    )
    assert off.status_code == 302
    stored = api_get(console, world, "admin_a", f"/api/v1/policies/{policy['id']}")
    assert stored["name"] == "Herinnering voor de IB'er" and stored["enabled"] is False


def test_english_on_request_and_remembered(console):
    english = console.get("/console/policies?lang=en")
    assert '<html lang="en">' in page(english) and "<h1>Notification policies</h1>" in page(english)
    assert '<html lang="en">' in page(console.get("/console/deliveries"))
    assert '<html lang="nl">' in page(console.get("/console/deliveries?lang=nl"))


def test_preview_shows_what_a_policy_will_send_masked(console, world, pipeline, notifications):
    started_case(world, pipeline)
    api = api_get(console, world, "admin_a", "/api/v1/policies/")
    [evaluation] = [p for p in api if p["key"] == "intervention_evaluation"]
    preview = console.get(f"/console/policies/{evaluation['id']}/preview?days=60")
    body = page(preview)
    assert preview.status_code == 200 and "Interventie gestart (herinnering)" in body
    assert "c***@test.nl" in body and "coordinator_a1@test.nl" not in body


def test_a_dead_notification_is_retried_from_the_log(
    console, world, pipeline, notifications, mail_server, clock
):
    n = notifications
    row = guardian_row(n, started_case(world, pipeline))
    mail_server.stop()
    for _ in range(MAX_ATTEMPTS):
        clock.set(max(NOW, rows(n, id=row["id"])[0]["send_at"]))
        deliver_due(n)
    assert rows(n, id=row["id"])[0]["status"] == "dead"

    dead = console.get("/console/deliveries?status=dead")
    body = page(dead)
    assert "<h1>Onbestelbare berichten</h1>" in body and "onbestelbaar" in body
    assert "g***@test.nl" in body and 'id="n-' + str(row["id"]) in body
    token = CSRF.search(body).group(1)  # type: ignore[union-attr]

    no_csrf = console.post(f"/console/deliveries/{row['id']}/retry")
    assert no_csrf.status_code == 400 and rows(n, id=row["id"])[0]["status"] == "dead"
    retried = console.post(
        f"/console/deliveries/{row['id']}/retry",
        data={"csrf_token": token, "back": "/console/deliveries?status=dead"},
    )
    assert retried.status_code == 302 and retried.location.endswith("status=dead")
    assert rows(n, id=row["id"])[0]["status"] == "planned"
    assert "Het bericht staat opnieuw in de wachtrij." in page(console.get(retried.location))
    mail_server.start()
    assert deliver_due(n) == {row["id"]: "sent"}


def test_coordinators_see_their_own_school_and_manage_no_policies(
    notifications_client, world, pipeline, notifications
):
    n = notifications
    started_case(world, pipeline)  # pupil a1, school A1
    [row] = [r for r in rows(n) if r["recipient_role"] == "guardian"]
    client = notifications_client
    assert log_in(client, "coordinator_a2@test.nl").status_code == 302
    assert client.get("/console/").location.endswith("/console/deliveries")
    forbidden = client.get("/console/policies")
    assert forbidden.status_code == 403 and "U mag dit niet doen" in page(forbidden)
    assert "g***@test.nl" not in page(client.get("/console/deliveries"))
    token = csrf(client, "/console/deliveries")
    other = client.post(f"/console/deliveries/{row['id']}/retry", data={"csrf_token": token})
    assert other.status_code == 404

    client.post("/console/logout", data={"csrf_token": token})
    assert log_in(client, "coordinator_a1@test.nl").status_code == 302
    assert "g***@test.nl" in page(client.get("/console/deliveries"))
    client.post("/console/logout", data={"csrf_token": csrf(client, "/console/deliveries")})
    guardian = log_in(client, "guardian_a1@test.nl")
    assert guardian.status_code == 403 and "Deze console is voor medewerkers" in page(guardian)


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
    assert again.status_code == 302 and again.headers["Location"] == "/console/policies"


def test_log_in_returns_to_a_safe_next(notifications_client, world):
    target = "/console/deliveries?status=dead&page=2"
    data = {"email": "admin@a.test", "password": PASSWORD, "next": target}
    response = notifications_client.post(
        "/console/login", data={**data, "csrf_token": csrf(notifications_client)}
    )
    assert response.status_code == 302 and response.headers["Location"] == target
