"""create_app(): the web front end's Flask app (pages, server-side sessions, CSRF, translations)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import redis
import requests
from flask import Flask, request
from flask_babel import Babel
from flask_session import Session
from flask_wtf.csrf import CSRFProtect

from services.web.config import WebSettings
from services.web.pages import errors
from services.web.pages.admin import imports as admin_imports
from services.web.pages.blueprints import register_blueprints
from services.web.pages.common import current_language
from services.web.pages.templating import install_templating
from shared.clock import Clock, clock_for
from shared.web import install_health, install_operations, install_request_context

HERE = Path(__file__).resolve().parent
EXTENSION = "web"


@dataclass(frozen=True)
class Container:
    """What the pages use: settings, the clock, Redis (sessions) and one HTTP session."""

    settings: WebSettings
    clock: Clock
    redis: redis.Redis
    http: requests.Session


def create_app(settings: WebSettings | None = None, *, clock: Clock | None = None) -> Flask:
    """The app; settings from the environment unless given (tests build them directly)."""
    settings = settings or WebSettings.from_env(os.environ)
    app = Flask(__name__)
    container = Container(
        settings,
        clock or clock_for(settings.clock_file),
        redis.Redis.from_url(settings.redis_url),
        requests.Session(),
    )
    app.extensions[EXTENSION] = container
    app.config.update(
        SECRET_KEY=settings.session_secret,
        # The cookie holds only a random session id; the token stays in Redis, so logging out
        # (or a disabled account) ends the session at once.
        SESSION_TYPE="redis",
        SESSION_REDIS=container.redis,
        SESSION_KEY_PREFIX=settings.session_key_prefix,
        SESSION_PERMANENT=True,
        PERMANENT_SESSION_LIFETIME=timedelta(seconds=settings.session_lifetime_seconds),
        SESSION_COOKIE_NAME="web_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookie,
        WTF_CSRF_TIME_LIMIT=None,  # the CSRF token lives as long as the session
        BABEL_DEFAULT_LOCALE="nl",
        BABEL_TRANSLATION_DIRECTORIES=str(HERE / "translations"),
        MAX_CONTENT_LENGTH=256 * 1024,
    )
    Session(app)
    admin_imports.allow_import_files(app)  # before CSRFProtect, which reads the form first
    # Registered before CSRFProtect, whose check reads the form: the document upload's body may
    # be as large as the cases service accepts (plus the multipart envelope); every other form
    # keeps MAX_CONTENT_LENGTH.
    app.before_request(_document_upload_limit(settings.document_max_bytes + 64 * 1024))
    CSRFProtect(app)
    Babel(app, locale_selector=current_language)
    install_templating(app)
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True
    install_request_context(app)
    install_operations(app, "web", settings)  # type: ignore[arg-type]  # the same fields
    install_health(app, {"redis": container.redis.ping, "cases": _cases_alive(container)})
    register_blueprints(app)
    errors.install(app)
    return app


UPLOAD_ENDPOINTS = ("school.attach_document",)


def _document_upload_limit(limit: int) -> Callable[[], None]:
    def raise_limit() -> None:
        if request.endpoint in UPLOAD_ENDPOINTS:
            request.max_content_length = limit

    return raise_limit


def _cases_alive(container: Container) -> Callable[[], None]:
    def check() -> None:
        url = f"{container.settings.cases_url}/health"
        container.http.get(url, timeout=3).raise_for_status()

    return check
