"""shared.logging: one JSON object per line with the request and event ids of the work at hand,
and secrets never written (known secret values, Authorization headers, passwords, URLs with
credentials such as Apprise mail URLs)."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from shared.logging import (
    JsonFormatter,
    SecretsFilter,
    configure_logging,
    current_request_id,
    log_context,
    make_handler,
    secrets_in,
)

JWT = "jwt-secret-value-0123456789abcdef"
MAIL_URL = "mailtos://smtp.example.nl:587?user=noreply@swv.example&pass=Sm7pPassw0rd&from=a@b.nl"


@pytest.fixture
def captured() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger of its own writing through our handler (JSON, secrets of the test) to a buffer."""
    buffer = io.StringIO()
    logger = logging.getLogger(f"test.logging.{id(buffer)}")
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    logger.addHandler(make_handler("json", [JWT], stream=buffer))
    yield logger, buffer
    logger.handlers.clear()


def lines(buffer: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in buffer.getvalue().splitlines()]


def test_a_line_is_one_json_object_with_the_ids_of_the_context(captured) -> None:
    logger, buffer = captured
    with log_context(request_id="req-1", event_id="ev-1"):
        assert current_request_id() == "req-1"
        logger.info("planned %d rows", 3, extra={"notification_id": "n-1"})
    logger.warning("outside")
    first, second = lines(buffer)
    assert first["message"] == "planned 3 rows"
    assert (first["level"], first["logger"]) == ("INFO", logger.name)
    assert (first["request_id"], first["event_id"]) == ("req-1", "ev-1")
    assert first["notification_id"] == "n-1"
    assert first["timestamp"].endswith("+00:00")  # UTC, ISO 8601
    assert "service" in first
    assert (second["request_id"], second["event_id"]) == (None, None)
    assert current_request_id() is None


def test_ids_given_as_extra_win_over_the_context(captured) -> None:
    logger, buffer = captured
    with log_context(request_id="outer"):
        logger.info("delivered", extra={"request_id": "from-row", "event_id": "e"})
    [line] = lines(buffer)
    assert (line["request_id"], line["event_id"]) == ("from-row", "e")


@pytest.mark.parametrize(
    ("message", "leak"),
    [
        (f"token check with {JWT} failed", JWT),
        ("headers: {'Authorization': 'Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig'}", "eyJhbGci"),
        ("Authorization: Basic dXNlcjpwYXNzd29yZA==", "dXNlcjpw"),
        ("connect postgresql://cases:Db-Pa55word@db:5432/cases failed", "Db-Pa55word"),
        (f"apprise url {MAIL_URL}", "Sm7pPassw0rd"),
        ("apprise url mailtos://noreply:Pl41nPass@smtp.example.nl", "Pl41nPass"),
        ('body {"email": "a@b.nl", "password": "hunter2hunter2"}', "hunter2hunter2"),
        ("login password=correct-horse&next=/", "correct-horse"),
    ],
)
def test_secrets_are_masked(captured, message: str, leak: str) -> None:
    logger, buffer = captured
    logger.error(message)
    [line] = lines(buffer)
    assert leak not in line["message"]
    assert "***" in line["message"]


def test_a_secret_in_an_argument_or_a_traceback_is_masked_too(captured) -> None:
    logger, buffer = captured
    try:
        raise RuntimeError(f"could not use {JWT}")
    except RuntimeError:
        logger.exception("failed with url %s", "redis://:r3disPass@redis:6379/0")
    [line] = lines(buffer)
    assert "r3disPass" not in line["message"]
    assert JWT not in line["exception"] and "RuntimeError" in line["exception"]


def test_ordinary_text_stays_readable() -> None:
    text = "notification 5f0c: sent (attempt 1, 1 in message) policy key support_started"
    assert SecretsFilter(["abc"]).mask(text) == text  # short secrets are not masked


def test_the_secrets_of_an_environment_are_found(tmp_path) -> None:
    key_file = tmp_path / "key"
    key_file.write_text("file-held-encryption-key\n")
    found = secrets_in(
        {
            "JWT_SECRET": JWT,
            "NOTIFICATIONS_ENCRYPTION_KEY_FILE": str(key_file),
            "NOTIFICATIONS_MAIL_URL": MAIL_URL,
            "CASES_DATABASE_URL": "postgresql://cases:Db-Pa55word@db:5432/cases",
            "CASES_ADMIN_PASSWORD": "first-admin-password",
            "REPORTS_METRICS_TOKEN": "metrics-token-123",
            "EVENT_STREAM": "events",
            "LOG_LEVEL": "INFO",
        }
    )
    assert {
        JWT,
        "file-held-encryption-key",
        "Sm7pPassw0rd",
        "Db-Pa55word",
        "first-admin-password",
        "metrics-token-123",
    } <= found
    assert "events" not in found and "INFO" not in found


@pytest.fixture
def root_restored() -> Iterator[logging.Logger]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield root
    root.handlers[:] = handlers
    root.setLevel(level)


def test_configuring_twice_keeps_one_handler_and_respects_a_host_setup(root_restored) -> None:
    root = root_restored
    root.handlers[:] = []
    assert configure_logging("cases", level="DEBUG", fmt="json")
    assert configure_logging("cases", level="INFO", fmt="json")
    [ours] = root.handlers
    assert isinstance(ours.formatter, JsonFormatter) and root.level == logging.INFO
    host = logging.NullHandler()
    root.handlers[:] = [host]
    assert not configure_logging("cases", fmt="json", only_if_unconfigured=True)
    assert root.handlers == [host]
