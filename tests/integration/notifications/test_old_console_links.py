"""The notifications service is an API and its workers again (issue 12): its console is gone, but
links in messages already sent still lead somewhere. Every old `/console/...` address is a
permanent redirect to the web front end's page that took its place, without a bearer token,
without a session cookie, reading nothing (the web page checks a guardian's link itself)."""

from __future__ import annotations

import dataclasses

import pytest

from tests.integration.notifications.test_guardian_channel import token_for
from tests.unit.notifications.builders import GUARDIAN


@pytest.fixture
def db_kind() -> str:
    return "sqlite"  # nothing here touches the store


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/console/login", "/inloggen"),
        ("/console/login?next=/console/deliveries", "/inloggen"),
        ("/console/", "/"),
        ("/console", "/"),
        ("/console/policies", "/beheer/berichten"),
        ("/console/policies/6f1c2e0a-0000-4000-8000-000000000001/edit", "/beheer/berichten"),
        ("/console/deliveries", "/beheer/bezorging"),
        ("/console/reports", "/beheer/rapporten"),
        ("/console/evaluations", "/evaluaties"),
        ("/console/static/console.css", "/"),
        ("/console/no-such-page", "/"),
    ],
)
def test_an_old_console_address_is_sent_on_to_the_web_front_end(
    notifications, notifications_client, old, new
):
    response = notifications_client.get(old)
    assert response.status_code == 308, response.get_data(as_text=True)
    assert response.location == notifications.settings.web_url + new
    assert "Set-Cookie" not in response.headers  # no session of its own any more


def test_an_old_preference_link_opens_the_web_page_and_nothing_is_read_here(
    notifications, notifications_client, clock, world
):
    guardian = dataclasses.replace(GUARDIAN, id=world.guardians["a1"])
    token = token_for(notifications, guardian, clock)
    web = notifications.settings.web_url
    old = notifications_client.get(f"/console/preferences/{token}")
    assert old.status_code == 308 and old.location == f"{web}/ouders/voorkeuren/{token}"
    # A forged one goes there too, as it was typed: the web page says the link no longer works
    # (test_preference_page); here no guardian or partnership is named either way.
    forged = notifications_client.get("/console/preferences/not-a-link")
    assert forged.status_code == 308 and forged.location == f"{web}/ouders/voorkeuren/not-a-link"
    assert str(world.partnership_a) not in forged.get_data(as_text=True)
    # Nothing that would break the Location header gets into it.
    odd = notifications_client.get("/console/preferences/a%0d%0aSet-Cookie:%20x=1")
    assert odd.status_code == 308
    assert odd.location == f"{web}/ouders/voorkeuren/a%0D%0ASet-Cookie%3A%20x%3D1"
    assert "Set-Cookie" not in odd.headers


def test_the_console_takes_no_forms_and_opens_no_api(notifications_client, world):
    refused = notifications_client.post("/console/login", data={"email": "admin@a.test"})
    assert refused.status_code == 405
    assert notifications_client.get("/api/v1/policies/").status_code == 401  # still a token
