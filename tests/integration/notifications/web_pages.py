"""The web front end in front of the real notifications, cases (and reports) services, each
answering HTTP on 127.0.0.1 in a thread: for the tests of the administrators' pages that were the
notifications console. Sessions in the real Redis under a prefix of their own."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from html import unescape

import redis

from services.web.app import create_app as create_web_app
from services.web.config import WebSettings
from shared.clock import FixedClock
from tests.conftest import JWT_SECRET, REDIS_URL
from tests.integration.web.conftest import Browser


def web_browser(
    clock: FixedClock, cases_url: str, notifications_url: str, reports_url: str = ""
) -> Iterator[Browser]:
    """A person's browser on the web app pointed at these services; their sessions removed
    afterwards."""
    prefix = f"test:web:{uuid.uuid4().hex}:"
    settings = WebSettings(
        cases_url=cases_url,
        notifications_url=notifications_url,
        reports_url=reports_url,
        redis_url=REDIS_URL,
        jwt_secret=JWT_SECRET,
        session_secret="web-session-secret-for-tests-only!!",
        session_key_prefix=prefix,
    )
    yield Browser(create_web_app(settings, clock=clock).test_client(), settings)
    r = redis.Redis.from_url(REDIS_URL)
    for key in r.scan_iter(f"{prefix}*"):
        r.delete(key)


def page(response) -> str:
    return response.get_data(as_text=True)


def text_of(response) -> str:
    """The page's text, tags and entities undone, whitespace squeezed."""
    without_tags = re.sub(r"<[^>]+>", " ", page(response))
    return re.sub(r"\s+", " ", unescape(without_tags))


def switch_language(browser: Browser, lang: str) -> None:
    """The footer's language button."""
    browser.post("/taal", {"lang": lang, "next": ""}, form_page="/beheer/bezorging")
