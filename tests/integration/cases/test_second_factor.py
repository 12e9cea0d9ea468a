"""The second factor over HTTP: the partnership requires it of staff, staff enrol an app and
confirm it with a first code, the token endpoint then wants a code (a TOTP code once, or a
recovery code once), missing and wrong codes are clear 401s counted by the log-in limits, and the
administrator removes a lost factor. Secrets are encrypted at rest when cases has a key."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pyotp
from sqlalchemy import select

from services.cases.adapters import orm
from services.cases.domain import commands
from services.cases.service_layer import handlers
from shared.crypto import SecretBox, new_key
from tests.support.world import PASSWORD

TOKEN = "/api/v1/auth/token"
ENROL = "/api/v1/auth/second-factor/enrolment"
EMAIL = "coordinator_a1@test.nl"


def log_in(client, code: str | None = None, email: str = EMAIL, password: str = PASSWORD):
    body = {"email": email, "password": password}
    if code is not None:
        body["code"] = code
    return client.post(TOKEN, json=body)


def require_it(world, on: bool = True) -> None:
    path = f"/api/v1/partnerships/{world.partnership_a}/settings"
    answer = world.call("admin_a", "PATCH", path, json={"staff_second_factor_required": on})
    assert answer.status_code == 200 and answer.json["settings"]["staff_second_factor_required"]


def enrol(client) -> pyotp.TOTP:
    answer = client.post(ENROL, json={"email": EMAIL, "password": PASSWORD})
    assert answer.status_code == 201, answer.json
    uri = urlparse(answer.json["otpauth_uri"])
    assert uri.scheme == "otpauth" and uri.netloc == "totp"
    assert parse_qs(uri.query)["secret"] == [answer.json["secret"]]
    return pyotp.TOTP(answer.json["secret"])


def test_required_second_factor_from_enrolment_to_log_in(world, client, clock):
    assert log_in(client).status_code == 200  # off by default
    require_it(world)
    refused = log_in(client)
    assert refused.status_code == 401
    assert refused.json["code"] == "second_factor_enrolment_required"
    assert log_in(client, email="guardian_a1@test.nl").status_code == 200  # staff only

    totp = enrol(client)
    assert log_in(client).json["code"] == "second_factor_enrolment_required"  # still pending
    confirmed = log_in(client, totp.at(clock.now()))
    assert confirmed.status_code == 200, confirmed.json
    recovery = confirmed.json["recovery_codes"]
    assert len(recovery) == 10

    missing = log_in(client)
    assert (missing.status_code, missing.json["code"]) == (401, "second_factor_required")
    wrong = log_in(client, "000000")
    assert (wrong.status_code, wrong.json["code"]) == (401, "second_factor_invalid")
    replayed = log_in(client, totp.at(clock.now()))
    assert replayed.json["code"] == "second_factor_invalid"
    clock.advance(timedelta(seconds=30))
    fresh = log_in(client, totp.at(clock.now()))
    assert fresh.status_code == 200 and "recovery_codes" not in fresh.json

    assert log_in(client, recovery[0]).status_code == 200
    assert log_in(client, recovery[0]).json["code"] == "second_factor_invalid"
    again = client.post(ENROL, json={"email": EMAIL, "password": PASSWORD})
    assert (again.status_code, again.json["code"]) == (409, "second_factor_enabled")

    listed = world.call("admin_a", "GET", "/api/v1/users").json
    assert [u["second_factor"] for u in listed if u["email"] == EMAIL] == [True]


def test_the_administrator_removes_a_lost_second_factor(world, client, clock):
    totp = enrol(client)
    assert log_in(client, totp.at(clock.now())).status_code == 200
    assert log_in(client).json["code"] == "second_factor_required"
    user = world.users["coordinator_a1"]
    path = f"/api/v1/users/{user}/second-factor/disable"
    assert world.call("coordinator_a1", "POST", path).status_code == 403
    assert world.call("admin_b", "POST", path).status_code == 404
    removed = world.call("admin_a", "POST", path)
    assert removed.status_code == 200 and removed.json["second_factor"] is False
    assert log_in(client).status_code == 200  # not required: the password again suffices
    require_it(world)
    assert log_in(client).json["code"] == "second_factor_enrolment_required"


def test_wrong_and_missing_codes_count_towards_the_log_in_limit(world, client, clock):
    totp = enrol(client)
    assert log_in(client, totp.at(clock.now())).status_code == 200
    clock.advance(timedelta(seconds=30))
    statuses = [log_in(client, "000000" if i % 2 else None).status_code for i in range(10)]
    assert statuses == [401] * 10
    refused = log_in(client, totp.at(clock.now()))
    assert (refused.status_code, refused.json["code"]) == (429, "too_many_requests")


def test_enrolment_needs_the_right_password_and_a_staff_account(world, client):
    wrong = client.post(ENROL, json={"email": EMAIL, "password": "wrong"})
    assert (wrong.status_code, wrong.json["code"]) == (401, "invalid_credentials")
    guardian = client.post(ENROL, json={"email": "guardian_a1@test.nl", "password": PASSWORD})
    assert guardian.status_code == 403


def test_the_secret_is_encrypted_at_rest_when_cases_has_a_key(world, container, clock):
    box = SecretBox.from_setting(new_key())
    enrolment = handlers.enrol_second_factor(
        commands.EnrolSecondFactor(EMAIL, PASSWORD), container.uow(), box
    )
    with container.engine.connect() as conn:
        stored = conn.execute(
            select(orm.users.c.totp_secret).where(orm.users.c.email == EMAIL)
        ).scalar_one()
    assert stored.startswith("fernet:") and enrolment.secret not in stored
    code = pyotp.TOTP(enrolment.secret).at(clock.now())
    result = handlers.log_in(
        commands.LogIn(EMAIL, PASSWORD, code), container.uow(), clock.now(), box
    )
    assert len(result.recovery_codes) == 10
