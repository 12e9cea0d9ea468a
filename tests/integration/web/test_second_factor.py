"""The second factor in the web log-in (issue 12), with real codes from pyotp against the real
cases service: linking an app when the partnership requires it (QR code and key, confirmed with
the first code, the recovery codes shown once), the code step at later log-ins (a wrong code
said at the field, a recovery code works once), and linking from the account page. Today is
2026-10-15 (the fixed clock)."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
import redis

from tests.support.world import PASSWORD

EMAIL = "coordinator_a1@test.nl"


def _page(response) -> str:
    return response.get_data(as_text=True)


def _require_second_factor(world) -> None:
    path = f"/api/v1/partnerships/{world.partnership_a}/settings"
    required = {"staff_second_factor_required": True}
    assert world.call("admin_a", "PATCH", path, json=required).status_code == 200


def _password(browser, **extra: str):
    return browser.post("/inloggen", {"email": EMAIL, "password": PASSWORD, **extra})


def _secret(page: str) -> str:
    found = re.search(r'<code id="totp-secret">([A-Z2-7]+)</code>', page)
    assert found, page
    return found.group(1)


def _log_out(browser) -> None:
    browser.post("/uitloggen", {}, form_page="/account")


def test_a_required_second_factor_is_linked_then_asked_at_every_log_in(world, browser, clock):
    _require_second_factor(world)
    first = _password(browser)
    assert first.status_code == 302 and first.headers["Location"] == "/inloggen/koppelen"
    enrol = browser.get("/inloggen/koppelen")
    page = _page(enrol)
    assert enrol.status_code == 200 and "Koppel een app op uw telefoon" in page
    assert 'src="data:image/svg+xml;base64,' in page and 'alt="QR-code' in page
    assert enrol.headers["Cache-Control"] == "no-store"
    secret = _secret(page)
    assert browser.get("/leerlingen").status_code == 302  # not logged in yet

    wrong = browser.post("/inloggen/koppelen", {"code": "000000"})
    assert wrong.status_code == 401 and 'href="#f-code"' in _page(wrong)
    assert "De code klopt niet" in _page(wrong)
    totp = pyotp.TOTP(secret)
    confirmed = browser.post("/inloggen/koppelen", {"code": totp.at(clock.now())})
    assert confirmed.status_code == 200 and "Uw herstelcodes" in _page(confirmed)
    recovery = re.findall(r"<li><code>([a-z2-9-]+)</code></li>", _page(confirmed))
    assert len(recovery) == 10
    assert confirmed.headers["Cache-Control"] == "no-store"  # the codes in no cache
    assert browser.get("/leerlingen").status_code == 200

    _log_out(browser)
    asked = _password(browser)
    assert asked.status_code == 302 and asked.headers["Location"] == "/inloggen/code"
    assert "Code uit uw app" in _page(browser.get("/inloggen/code"))
    bad = browser.post("/inloggen/code", {"code": "123456"})
    assert bad.status_code == 401 and "De code klopt niet" in _page(bad)
    assert browser.get("/leerlingen").status_code == 302
    clock.advance(timedelta(seconds=30))
    done = browser.post("/inloggen/code", {"code": totp.at(clock.now())})
    assert done.status_code == 302 and done.headers["Location"] == "/"
    assert browser.get("/leerlingen").status_code == 200

    _log_out(browser)
    _password(browser, next="/account")
    by_recovery = browser.post("/inloggen/code", {"code": recovery[0]})
    assert by_recovery.status_code == 302 and by_recovery.headers["Location"] == "/account"
    _log_out(browser)
    _password(browser)
    again = browser.post("/inloggen/code", {"code": recovery[0]})
    assert again.status_code == 401  # each recovery code works once


def test_the_code_step_needs_a_fresh_password_step(world, browser, clock):
    _require_second_factor(world)
    assert browser.get("/inloggen/code").headers["Location"] == "/inloggen"
    _password(browser)
    # Between the steps the session in Redis holds the password only encrypted.
    key = f"{browser.settings.session_key_prefix}{browser.session_id()}"
    stored = redis.Redis.from_url(browser.settings.redis_url).get(key)
    assert stored and b"pending_log_in" in stored and PASSWORD.encode() not in stored
    clock.advance(timedelta(minutes=11))  # the password step is forgotten after ten minutes
    late = browser.get("/inloggen/koppelen")
    assert late.status_code == 302 and late.headers["Location"] == "/inloggen"


def test_a_second_factor_is_linked_from_the_account_page(world, browser, clock):
    browser.login("coordinator_a1")
    page = _page(browser.get("/account"))
    assert "Mijn account" in page and EMAIL in page and "Een app koppelen" in page
    wrong = browser.post("/account", {"password": "not the password"})
    assert wrong.status_code == 401 and 'href="#f-password"' in _page(wrong)
    started = browser.post("/account", {"password": PASSWORD})
    assert started.status_code == 302 and started.headers["Location"] == "/inloggen/koppelen"
    secret = _secret(_page(browser.get("/inloggen/koppelen")))
    code = pyotp.TOTP(secret).at(clock.now())
    confirmed = browser.post("/inloggen/koppelen", {"code": code})
    assert confirmed.status_code == 200 and len(re.findall("<li><code>", _page(confirmed))) == 10
    assert 'id="second-factor-on"' in _page(browser.get("/account"))
    assert browser.get("/leerlingen").status_code == 200  # still logged in

    _log_out(browser)
    asked = _password(browser)
    assert asked.headers["Location"] == "/inloggen/code"  # from now on the code is asked
    clock.advance(timedelta(seconds=30))
    assert (
        browser.post("/inloggen/code", {"code": pyotp.TOTP(secret).at(clock.now())}).status_code
        == 302
    )
