"""WebSettings.from_env: required values fail at start-up; secrets may come from files."""

from __future__ import annotations

import pytest

from services.web.config import WebSettings
from shared.config import ConfigError

BASE = {"CASES_URL": "http://cases:8000/", "JWT_SECRET": "j" * 32, "WEB_SESSION_SECRET": "s" * 32}


def test_defaults_and_the_trailing_slash():
    settings = WebSettings.from_env(BASE)
    assert settings.cases_url == "http://cases:8000"
    assert settings.redis_url == "redis://127.0.0.1:6379/0"
    assert (settings.secure_cookie, settings.session_lifetime_seconds) == (False, 8 * 3600)


@pytest.mark.parametrize("missing", ["CASES_URL", "JWT_SECRET", "WEB_SESSION_SECRET"])
def test_a_missing_required_setting_fails_with_its_name(missing):
    env = {k: v for k, v in BASE.items() if k != missing}
    with pytest.raises(ConfigError, match=missing):
        WebSettings.from_env(env)


def test_the_session_secret_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-the-file\n")
    env = {**BASE, "WEB_SESSION_SECRET": "", "WEB_SESSION_SECRET_FILE": str(secret)}
    assert WebSettings.from_env(env).session_secret == "from-the-file"


@pytest.mark.parametrize(
    ("name", "value"),
    [("WEB_SECURE_COOKIE", "maybe"), ("WEB_SESSION_LIFETIME_SECONDS", "0")],
)
def test_malformed_values_fail_at_start_up(name, value):
    with pytest.raises(ConfigError, match=name):
        WebSettings.from_env({**BASE, name: value})


def test_the_secure_cookie_flag():
    settings = WebSettings.from_env({**BASE, "WEB_SECURE_COOKIE": "true"})
    assert settings.secure_cookie is True
