"""The body size limit (issue 11, item 1): every service refuses a body over the
limit with 413 in the one JSON error shape, before reading it and before authentication, with the
limit of the settings object as built from the environment (its default really applies)."""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

from services.cases.app import create_app as cases_app
from services.cases.config import CasesSettings
from services.notifications.app import create_app as notifications_app
from services.notifications.config import NotificationsSettings
from services.reports.app import create_app as reports_app
from services.reports.config import ReportsSettings
from shared.crypto import new_key
from tests.conftest import JWT_SECRET, REDIS_URL

DEFAULT_LIMIT = 1024 * 1024  # what the README promises when MAX_BODY_BYTES is not set


def environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    """What an operator sets, nothing about body sizes unless `extra` says so."""
    return {
        "CASES_DATABASE_URL": f"sqlite:///{tmp_path}/cases.db",
        "NOTIFICATIONS_DATABASE_URL": f"sqlite:///{tmp_path}/notifications.db",
        "REPORTS_DATABASE_URL": f"sqlite:///{tmp_path}/reports.db",
        "REDIS_URL": REDIS_URL,
        "JWT_SECRET": JWT_SECRET,
        "CASES_URL": "http://127.0.0.1:9",
        "NOTIFICATIONS_ENCRYPTION_KEY": new_key(),
        "NOTIFICATIONS_MAIL_URL": "mailto://127.0.0.1:9?from=test@example.org",
        **extra,
    }


AppFactory = Callable[[dict[str, str]], Flask]
APPS: dict[str, AppFactory] = {
    "cases": lambda env: cases_app(CasesSettings.from_env(env)),
    "notifications": lambda env: notifications_app(NotificationsSettings.from_env(env)),
    "reports": lambda env: reports_app(ReportsSettings.from_env(env)),
}
# (app, path, status of a body just at the limit: the next step, authentication or the link)
TARGETS = [
    ("cases", "/api/v1/pupils", 401),
    ("cases", "/api/v1/auth/token", 400),  # public: the body is read (a JSON array, refused)
    ("notifications", "/api/v1/policies/", 401),
    ("notifications", "/api/v1/preferences/no-link/unsubscribe", 404),  # public: the link
    ("reports", "/api/v1/reports/schedules", 401),
]


def post(app: Flask, path: str, size: int) -> tuple[int, dict | None]:
    body = b"[" + b"0," * ((size - 2) // 2) + b"0" * ((size - 2) % 2) + b"]"
    assert len(body) == size
    response = app.test_client().post(path, data=body, content_type="application/json")
    return response.status_code, response.get_json(silent=True)


@pytest.mark.parametrize(("service", "path", "at_limit"), TARGETS)
def test_the_default_limit_refuses_one_byte_more_before_authentication(
    tmp_path: Path, service: str, path: str, at_limit: int
) -> None:
    app = APPS[service](environment(tmp_path))
    status, body = post(app, path, DEFAULT_LIMIT + 1)
    assert status == 413
    assert body is not None and body["code"] == "payload_too_large" and body["errors"] == {}
    assert str(DEFAULT_LIMIT) in body["message"]
    status, _ = post(app, path, DEFAULT_LIMIT)
    assert status == at_limit


def test_the_limit_is_a_setting(tmp_path: Path) -> None:
    env = environment(tmp_path, MAX_BODY_BYTES="4096")
    assert CasesSettings.from_env(env).max_body_bytes == 4096
    for service in APPS:
        app = APPS[service](env)
        assert post(app, "/api/v1/openapi.json", 4097)[0] == 413
        assert post(app, "/api/v1/openapi.json", 4096)[0] == 405


def test_a_body_without_content_length_stops_at_the_limit(tmp_path: Path) -> None:
    """Chunked: no length to judge up front, so reading stops at the limit with the same 413."""
    app = APPS["cases"](environment(tmp_path, MAX_BODY_BYTES="4096"))
    body = b'{"email": "' + b"a" * 5000 + b'", "password": "x"}'
    response = app.test_client().post(
        "/api/v1/auth/token",
        input_stream=io.BytesIO(body),
        content_type="application/json",
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert response.status_code == 413
    assert response.get_json()["code"] == "payload_too_large"


def test_imports_take_their_file_sized_bodies_but_never_less_than_the_setting(
    tmp_path: Path,
) -> None:
    path = f"/api/v1/schools/{uuid.uuid4()}/imports/pupils"
    default = APPS["cases"](environment(tmp_path))
    assert post(default, path, 2 * 1024 * 1024)[0] == 401  # over 1 MiB: a file may be 5 MB
    assert post(default, path, 6 * 1024 * 1024)[0] == 413
    generous = APPS["cases"](environment(tmp_path, MAX_BODY_BYTES=str(8 * 1024 * 1024)))
    assert post(generous, path, 6 * 1024 * 1024)[0] == 401
