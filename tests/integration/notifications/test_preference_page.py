"""A guardian's settings page on the web front end (issue 13): /ouders/voorkeuren/<token>, the
link in every message to a guardian, in Dutch by default and in the six languages; the settings
kept by the notifications service (real app over HTTP, real database), the same signed and
revocable token. The language a signed-in parent picks on their pages is saved the same way,
so messages follow it. Old console links are sent on to the page."""

from __future__ import annotations

import dataclasses
import re
import uuid
from collections.abc import Iterator

import pytest
import redis
from flask import Flask

from services.notifications.app import create_app as create_notifications_app
from services.notifications.service_layer import handlers
from services.web.app import create_app as create_web_app
from services.web.config import WebSettings
from tests.conftest import JWT_SECRET, REDIS_URL
from tests.integration.notifications.test_guardian_channel import token_for
from tests.integration.web.conftest import Browser
from tests.integration.web.test_parent_pages import OTHER, _ask, _e_mailed_link, _sign_in
from tests.support.cases_server import AppServer
from tests.support.world import World
from tests.unit.notifications.builders import GUARDIAN, PARTNERSHIP

LANG = re.compile(r'<html lang="(\w+)" dir="(\w+)">')


@pytest.fixture
def db_kind() -> str:
    return "sqlite"  # the notifications store itself is covered on PostgreSQL elsewhere


@pytest.fixture
def notifications_server(notifications) -> Iterator[AppServer]:
    server = AppServer(create_notifications_app(container=notifications)).start()
    yield server
    server.stop()


@pytest.fixture
def web_settings(cases_server, notifications_server) -> Iterator[WebSettings]:
    prefix = f"test:web:{uuid.uuid4().hex}:"
    yield WebSettings(
        cases_url=cases_server.url,
        notifications_url=notifications_server.url,
        reports_url="",
        redis_url=REDIS_URL,
        jwt_secret=JWT_SECRET,
        session_secret="web-session-secret-for-tests-only!!",
        session_key_prefix=prefix,
    )
    r = redis.Redis.from_url(REDIS_URL)
    for key in r.scan_iter(f"{prefix}*"):
        r.delete(key)


@pytest.fixture
def web_app(web_settings: WebSettings, clock) -> Flask:
    return create_web_app(web_settings, clock=clock)


@pytest.fixture
def browser(web_app: Flask, web_settings: WebSettings) -> Browser:
    return Browser(web_app.test_client(), web_settings)


def _page(response, status: int = 200) -> str:
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


def test_the_message_link_opens_the_settings_page_and_saves_language_and_channel(
    notifications, notifications_client, browser, clock, world: World
):
    guardian = dataclasses.replace(GUARDIAN, id=world.guardians["a1"])
    link = handlers.preferences_link(
        notifications.rules, str(guardian.id), PARTNERSHIP, clock.now()
    )
    token = link.rsplit("/", 1)[1]
    assert link == f"{notifications.settings.web_url}/ouders/voorkeuren/{token}"
    path = f"/ouders/voorkeuren/{token}"

    page = _page(browser.get(path))
    assert LANG.search(page).groups() == ("nl", "ltr")  # Dutch by default
    assert "Uw berichtinstellingen" in page and 'value="tr"' in page and 'value="ar"' in page
    saved = browser.post(path, {"language": "ar", "channels": "sms", "informational": "ja"})
    assert saved.status_code == 302 and saved.headers["Location"] == path
    api = notifications_client.get(f"/api/v1/preferences/{token}").json
    assert api == {"language": "ar", "informational": True, "channels": ["sms"]}
    page = _page(browser.get(path))
    assert LANG.search(page).groups() == ("ar", "rtl")
    assert "حُفظت إعداداتكم." in page and "إعدادات رسائلكم" in page
    assert re.search(r'name="language" value="ar" checked', page)

    # Informational off, channel back to "as the school sends": saved as such.
    browser.post(path, {"language": "tr", "channels": ""})
    api = notifications_client.get(f"/api/v1/preferences/{token}").json
    assert api == {"language": "tr", "informational": False, "channels": None}


def test_a_forged_or_revoked_link_gets_a_clear_page_and_changes_nothing(
    notifications, notifications_client, browser, clock, world: World, container
):
    guardian = dataclasses.replace(GUARDIAN, id=world.guardians["a1"])
    token = token_for(notifications, guardian, clock)
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    page = _page(browser.get(f"/ouders/voorkeuren/{forged}"), 404)
    assert "Deze link werkt niet meer" in page
    refused = browser.client.post(f"/ouders/voorkeuren/{forged}", data={"language": "tr"})
    assert refused.status_code in (400, 404)  # no CSRF token, or the link refused first
    assert notifications_client.get(f"/api/v1/preferences/{token}").json["language"] is None


def test_old_console_and_api_links_open_the_web_page(
    notifications, notifications_client, clock, world
):
    guardian = dataclasses.replace(GUARDIAN, id=world.guardians["a1"])
    token = token_for(notifications, guardian, clock)
    page = f"{notifications.settings.web_url}/ouders/voorkeuren/{token}"
    old = notifications_client.get(f"/console/preferences/{token}")
    assert old.status_code == 308 and old.location == page
    api = notifications_client.get(f"/api/v1/preferences/{token}", headers={"Accept": "text/html"})
    assert api.status_code == 303 and api.location == page
    unsubscribe = notifications_client.get(f"/api/v1/preferences/{token}/unsubscribe")
    assert unsubscribe.status_code == 303 and unsubscribe.location == page


def test_the_language_a_signed_in_parent_picks_is_saved_and_messages_follow(
    notifications, notifications_client, browser, web_app, container, web_settings, clock, world
):
    _sign_in(browser, web_app, container, web_settings, clock)  # the guardian of a1_other
    switched = browser.post(
        "/ouders/taal", {"lang": "pl", "next": "/ouders/"}, form_page="/ouders/"
    )
    assert switched.status_code == 302 and switched.headers["Location"] == "/ouders/"
    assert LANG.search(_page(browser.get("/ouders/"))).groups() == ("pl", "ltr")
    guardian = dataclasses.replace(GUARDIAN, id=world.guardians["a1_other"])
    token = token_for(notifications, guardian, clock)
    assert notifications_client.get(f"/api/v1/preferences/{token}").json["language"] == "pl"
    # The next sign-in (a new browser) opens the pages in Polish: the guardian's own choice.
    other = Browser(web_app.test_client(), web_settings)
    _sign_in(other, web_app, container, web_settings, clock)
    assert LANG.search(_page(other.get("/ouders/"))).groups() == ("pl", "ltr")


CHECKED = re.compile(r'name="channels" value="([^"]+)" checked')


def test_the_page_shows_and_saves_the_channel_and_follows_the_language(
    notifications, notifications_client, browser, clock, world: World
):
    guardian = dataclasses.replace(GUARDIAN, id=world.guardians["a1"])
    token = token_for(notifications, guardian, clock)
    path, api = f"/ouders/voorkeuren/{token}", f"/api/v1/preferences/{token}"
    shown = _page(browser.get(path))
    for label in ("E-mail", "Sms", "E-mail en sms"):
        assert f">{label}</label>" in shown
    assert "Belangrijke berichten, zoals een verzoek om instemming, sturen we altijd" in shown
    assert CHECKED.findall(shown) == []  # no choice yet: the policies decide

    browser.post(path, {"channels": "email,sms", "language": "en", "informational": "ja"})
    assert notifications_client.get(api).json == {
        "language": "en",
        "informational": True,
        "channels": ["email", "sms"],
    }
    shown = _page(browser.get(path))  # the page follows the chosen language
    assert CHECKED.findall(shown) == ["email,sms"]
    assert ">E-mail and text message</label>" in shown
    assert "Important messages, such as a request for consent, we always send" in shown

    notifications_client.put(api, json={"channels": ["sms"], "language": "uk"})
    shown = _page(browser.get(path))
    assert CHECKED.findall(shown) == ["sms"]
    browser.post(path, {"channels": "pigeon", "informational": "ja"})  # a forged value: no choice
    assert notifications_client.get(api).json["channels"] is None


def test_a_language_picked_before_signing_in_is_kept_and_saved(
    notifications, notifications_client, browser, web_app, container, web_settings, clock, world
):
    switched = browser.post("/ouders/taal", {"lang": "uk"}, form_page="/ouders/inloggen")
    assert switched.status_code == 302
    assert LANG.search(_page(browser.get("/ouders/inloggen"))).groups() == ("uk", "ltr")
    _ask(browser, web_app, OTHER)
    link = _e_mailed_link(container, web_settings, clock)
    assert "Увійти" in _page(browser.get(link))
    assert browser.post(link, {}).headers["Location"] == "/ouders/"
    assert LANG.search(_page(browser.get("/ouders/"))).groups() == ("uk", "ltr")
    guardian = dataclasses.replace(GUARDIAN, id=world.guardians["a1_other"])
    token = token_for(notifications, guardian, clock)
    assert notifications_client.get(f"/api/v1/preferences/{token}").json["language"] == "uk"
