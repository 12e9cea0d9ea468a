"""Web front end fixtures: the real cases app answering HTTP on 127.0.0.1 (a thread), its world of
schools, staff and pupils, and the web app in front of it with its sessions in the real Redis
(under a prefix of its own, removed afterwards). One FixedClock for both."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import redis
from flask import Flask
from flask.testing import FlaskClient

from services.web.app import create_app
from services.web.config import WebSettings
from shared.clock import FixedClock
from tests.conftest import JWT_SECRET, REDIS_URL
from tests.support.cases_server import AppServer
from tests.support.world import PASSWORD

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def db_kind() -> str:
    """The pages read and write through the cases API; its own tests cover PostgreSQL."""
    return "sqlite"


@pytest.fixture
def cases_server(app: Flask) -> Iterator[AppServer]:
    server = AppServer(app).start()
    yield server
    server.stop()


@pytest.fixture
def web_settings(cases_server: AppServer) -> Iterator[WebSettings]:
    prefix = f"test:web:{uuid.uuid4().hex}:"
    yield WebSettings(
        cases_url=cases_server.url,
        notifications_url="",
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
def web_app(web_settings: WebSettings, clock: FixedClock) -> Flask:
    return create_app(web_settings, clock=clock)


@dataclass
class Browser:
    """The Flask test client with the CSRF token of the last page, like a person's browser."""

    client: FlaskClient
    settings: WebSettings

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.client.get(path, **kwargs)

    def csrf(self, path: str = "/inloggen") -> str:
        page = self.client.get(path).get_data(as_text=True)
        found = CSRF.search(page)
        assert found, page
        return found.group(1)

    def post(self, path: str, data: dict[str, str], form_page: str | None = None) -> Any:
        token = self.csrf(form_page or path)
        return self.client.post(path, data={**data, "csrf_token": token})

    def login(self, who: str, next_url: str | None = None) -> Any:
        email = f"{who}@test.nl" if not who.startswith("admin") else f"admin@{who[-1]}.test"
        data = {"email": email, "password": PASSWORD}
        if next_url:
            data["next"] = next_url
        response = self.post("/inloggen", data)
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    def session_id(self) -> str | None:
        cookie = self.client.get_cookie("web_session")
        return cookie.value if cookie else None

    def session_in_redis(self) -> bool:
        sid = self.session_id()
        r = redis.Redis.from_url(self.settings.redis_url)
        return sid is not None and r.exists(f"{self.settings.session_key_prefix}{sid}") == 1


@pytest.fixture
def browser(web_app: Flask, web_settings: WebSettings) -> Browser:
    return Browser(web_app.test_client(), web_settings)
