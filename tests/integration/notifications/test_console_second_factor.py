"""The console's log-in with a second factor: the partnership requires it, the console shows the
new secret once and confirms it with the first code (then the recovery codes, once), and later
log-ins ask for the code; a wrong code says so."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp

from tests.integration.notifications.test_console import csrf, page
from tests.support.world import PASSWORD

EMAIL = "coordinator_a1@test.nl"


def post_login(client, **fields: str):
    form = {"email": EMAIL, "password": PASSWORD, "csrf_token": csrf(client), **fields}
    return client.post("/console/login", data=form)


def test_enrolment_and_log_in_with_a_code_through_the_console(notifications_client, world, clock):
    path = f"/api/v1/partnerships/{world.partnership_a}/settings"
    required = {"staff_second_factor_required": True}
    assert world.call("admin_a", "PATCH", path, json=required).status_code == 200
    client = notifications_client

    enrol = post_login(client)
    assert enrol.status_code == 200 and "Tweede factor instellen" in page(enrol)
    secret = re.search(r'<code id="totp-secret">([A-Z2-7]+)</code>', page(enrol)).group(1)
    assert f"secret={secret}" in page(enrol)  # the otpauth:// link for the phone
    assert enrol.headers["Cache-Control"] == "no-store"
    assert client.get("/console/").status_code == 302  # not logged in yet

    totp = pyotp.TOTP(secret)
    confirmed = post_login(client, code=totp.at(clock.now()))
    assert confirmed.status_code == 200 and "Uw herstelcodes" in page(confirmed)
    recovery = re.findall(r"<li><code>([a-z2-9-]+)</code></li>", page(confirmed))
    assert len(recovery) == 10
    assert confirmed.headers["Cache-Control"] == "no-store"
    assert client.get("/console/").status_code == 200

    client.post("/console/logout", data={"csrf_token": csrf(client, "/console/")})
    asked = post_login(client)
    assert asked.status_code == 401 and 'id="code"' in page(asked)
    assert "met de code uit uw authenticator-app" in page(asked)
    wrong = post_login(client, code="000000")
    assert wrong.status_code == 401 and "De code klopt niet of is al gebruikt" in page(wrong)
    clock.advance(timedelta(seconds=30))
    assert post_login(client, code=totp.at(clock.now())).status_code == 302
    assert client.get("/console/").status_code == 200

    client.post("/console/logout", data={"csrf_token": csrf(client, "/console/")})
    assert post_login(client, code=recovery[0]).status_code == 302
