"""Log-in, log-out, deep links and the end of a session, against the real cases API and Redis."""

from __future__ import annotations

import redis

from tests.integration.web.conftest import Browser
from tests.support import api_flows as f
from tests.support.world import PASSWORD


def test_a_deep_link_without_a_session_goes_to_log_in_and_lands_back_on_that_page(world, browser):
    case = f.open_case(world, "a1")
    page = f"/trajecten/{case['id']}"
    response = browser.get(page)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/inloggen?next=/trajecten/{case['id']}"
    landed = browser.login("coordinator_a1", next_url=page)
    assert landed.headers["Location"] == page
    assert browser.get(page).status_code == 200


def test_only_a_same_site_relative_next_is_followed(world, browser):
    header_breakers = ("/leerlingen\r\nSet-Cookie: stolen=1", "/leerlingen\nX: y", "/\tleerlingen")
    offsite = ("//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:x")
    for evil in offsite + header_breakers:  # the latter were a 500 in the old console
        browser.client.delete_cookie("web_session")
        landed = browser.login("coordinator_a1", next_url=evil)
        assert landed.headers["Location"] == "/", evil


def test_the_cookie_holds_only_a_session_id_and_the_token_lives_in_redis(world, browser):
    browser.login("coordinator_a1")
    sid = browser.session_id()
    assert sid and "." not in sid and len(sid) < 64  # not a signed payload, not a JWT
    assert browser.session_in_redis()
    cookie = browser.client.get_cookie("web_session")
    assert cookie.http_only and cookie.same_site == "Lax"


def test_log_in_gives_a_new_session_id(world, browser):
    before = browser.csrf() and browser.session_id()
    browser.login("coordinator_a1")
    assert browser.session_id() != before


def test_logout_deletes_the_session_at_once_and_the_old_cookie_lands_on_log_in(world, browser):
    browser.login("coordinator_a1")
    old = browser.session_id()
    assert browser.get("/leerlingen").status_code == 200
    response = browser.post("/uitloggen", {}, form_page="/leerlingen")
    assert response.status_code == 302 and response.headers["Location"].startswith("/inloggen")
    r = redis.Redis.from_url(browser.settings.redis_url)
    assert r.exists(f"{browser.settings.session_key_prefix}{old}") == 0
    browser.client.set_cookie("web_session", old)  # the old cookie, replayed
    replay = browser.get("/leerlingen")
    assert replay.status_code == 302 and replay.headers["Location"].startswith("/inloggen")


def test_a_disabled_account_ends_the_web_session_at_its_next_page(world, browser):
    browser.login("coordinator_a1")
    old = browser.session_id()
    assert browser.get("/leerlingen").status_code == 200
    user = world.users["coordinator_a1"]
    f.call_ok(world, "admin_a", "POST", f"/api/v1/users/{user}/disable", 200)
    response = browser.get("/leerlingen")
    assert response.status_code == 302
    assert response.headers["Location"] == "/inloggen?next=/leerlingen"
    r = redis.Redis.from_url(browser.settings.redis_url)
    assert r.exists(f"{browser.settings.session_key_prefix}{old}") == 0
    browser.client.set_cookie("web_session", old)
    assert browser.get("/leerlingen").status_code == 302


def test_a_wrong_password_is_refused_in_dutch_with_the_error_summary(world, browser):
    response = browser.post(
        "/inloggen", {"email": "coordinator_a1@test.nl", "password": "not-the-password"}
    )
    assert response.status_code == 401
    page = response.get_data(as_text=True)
    assert "<title>Fout: Inloggen" in page
    assert 'href="#f-email">Het e-mailadres of het wachtwoord klopt niet.' in page
    assert browser.get("/leerlingen").status_code == 302


def test_the_browser_s_address_is_what_the_log_in_limit_counts(world, web_app, web_settings):
    """The web app names the browser in X-Login-Client next to its service token, so the cases
    service counts failures per browser: one browser guessing does not lock out another one (all
    log-ins reach the cases service from the web app's own address)."""
    guesser = Browser(web_app.test_client(), web_settings)
    guesser.client.environ_base["REMOTE_ADDR"] = "10.0.0.7"
    colleague = Browser(web_app.test_client(), web_settings)
    colleague.client.environ_base["REMOTE_ADDR"] = "10.0.0.8"
    wrong = {"email": "coordinator_a1@test.nl", "password": "wrong"}
    for _attempt in range(10):
        assert guesser.post("/inloggen", wrong).status_code == 401
    refused = guesser.post("/inloggen", wrong)
    assert refused.status_code == 429
    assert "Te veel mislukte pogingen" in refused.get_data(as_text=True)
    colleague.login("coordinator_a1")  # the same account from another browser still logs in


def test_a_form_without_its_csrf_token_is_refused(world, browser):
    response = browser.client.post(
        "/inloggen", data={"email": "coordinator_a1@test.nl", "password": "x"}
    )
    assert response.status_code == 400
    assert "Formulier verlopen" in response.get_data(as_text=True)


def test_health_and_readiness(browser):
    assert browser.get("/health").json == {"status": "ok"}
    ready = browser.get("/health/ready")
    assert ready.status_code == 200 and ready.json["checks"] == {"redis": "ok", "cases": "ok"}


def test_pages_carry_the_security_headers(world, browser):
    response = browser.get("/inloggen")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_a_parent_cannot_log_in_to_the_staff_pages(world, browser):
    response = browser.post("/inloggen", {"email": "guardian_a1@test.nl", "password": PASSWORD})
    assert response.status_code == 403
    assert "voor medewerkers van scholen" in response.get_data(as_text=True)
    assert browser.get("/leerlingen").status_code == 302
