"""Logging for every process: one JSON object per line (LOG_FORMAT=json) or plain text, the
request id and event id of the work at hand on every line, and secrets masked.

The request id enters with an HTTP request (shared.web), travels in the event envelope
(`request_id`) through the outbox and the stream, and is set again by the consumers and on the
planned notification rows, so one id links the request, the event and the delivery.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import fields, is_dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "request_id", default=None
)
event_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("event_id", default=None)

_SERVICE = {"name": "-"}
_HANDLER_MARK = "_passend_onderwijs_handler"
MASK = "***"

# Attributes every LogRecord has; anything else on a record came in through `extra=`.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName"}
_CONTEXT = ("request_id", "event_id", "service")


def current_request_id() -> str | None:
    """The request id of the work this thread (or task) is doing now, if any."""
    return request_id_var.get()


@contextmanager
def log_context(*, request_id: str | None = None, event_id: str | None = None) -> Iterator[None]:
    """Put a request id and an event id on every log line written inside the block."""
    tokens = (request_id_var.set(request_id), event_id_var.set(event_id))
    try:
        yield
    finally:
        event_id_var.reset(tokens[1])
        request_id_var.reset(tokens[0])


# -- masking -------------------------------------------------------------------------------------

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # Authorization headers and bearer/basic credentials anywhere in a line.
    (
        re.compile(r"(?i)(authorization[\"']?\s*[:=]\s*[\"']?)[^\s\"',}]+(\s+[^\s\"',}]+)?"),
        r"\1***",
    ),
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}"), r"\1 ***"),
    # user:password@ in any URL (database URLs, Apprise mailtos://user:pass@host, ...).
    (re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@]*:)[^@\s/]+@"), r"\1***@"),
    # password-like query parameters and key=value / "key": "value" pairs.
    (
        re.compile(
            r"(?i)([?&;\s\"'{,]|^)((?:pass|password|passwd|pwd|secret|token|apikey|api_key|"
            r"access_token|client_secret|encryption_key)[\"']?\s*[=:]\s*[\"']?)([^\s&\"',}]+)"
        ),
        r"\1\2***",
    ),
]
_URL_SECRET = re.compile(r"(?i)[?&](?:pass|password|token|secret|apikey)=([^&]+)")
_SECRET_NAME = re.compile(r"(?i)(secret|password|passwd|token|encryption_key|api_?key)")


class SecretsFilter(logging.Filter):
    """Masks known secret values and credential patterns in the message and the traceback."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets: set[str] = set()
        self.add(secrets)

    def add(self, secrets: Iterable[str]) -> None:
        """Mask these values from now on (short values are ignored: they would mask words)."""
        self.secrets.update(s for s in secrets if s and len(s) >= 6)

    def mask(self, text: str) -> str:
        """The text with every secret and credential pattern replaced by ***."""
        for secret in sorted(self.secrets, key=len, reverse=True):
            text = text.replace(secret, MASK)
        for pattern, replacement in _PATTERNS:
            text = pattern.sub(replacement, text)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = self.mask(message)
        if masked != message or record.args:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.mask(record.exc_text)
        for key, value in list(record.__dict__.items()):
            if key not in _STANDARD and isinstance(value, str):
                setattr(record, key, self.mask(value))
        return True


def secrets_in(values: Mapping[str, Any]) -> set[str]:
    """The secret values among settings: those named like a secret, passwords inside URLs and
    whole URLs that carry a password (Apprise URLs), and the contents of `<SECRET>_FILE`."""
    found: set[str] = set()
    for name, value in values.items():
        if not isinstance(value, str) or not value:
            continue
        upper = name.upper()
        if upper.endswith("_FILE") and _SECRET_NAME.search(upper[:-5]):
            try:
                found.add(Path(value).read_text(encoding="utf-8").strip())
            except OSError:
                pass
            continue
        if _SECRET_NAME.search(name):
            found.update(v.strip() for v in value.split(","))  # key lists: "new,old"
        if "://" in value:
            try:
                password = urlsplit(value).password
            except ValueError:
                password = None
            if password:
                found.add(password)
            found.update(m.group(1) for m in _URL_SECRET.finditer(value))
    return found


def settings_secrets(settings: Any) -> set[str]:
    """secrets_in() over a settings dataclass's fields."""
    if not is_dataclass(settings):
        return set()
    return secrets_in({f.name: getattr(settings, f.name) for f in fields(settings)})


# -- formatting ----------------------------------------------------------------------------------


class ContextFilter(logging.Filter):
    """Stamps the service name and the current request and event ids on every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = request_id_var.get()
        if getattr(record, "event_id", None) is None:
            record.event_id = event_id_var.get()
        if getattr(record, "service", None) is None:
            record.service = _SERVICE["name"]
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: timestamp (UTC), level, logger, message, service, request_id,
    event_id, then any `extra=` fields and the exception."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in _CONTEXT:
            out[key] = getattr(record, key, None)
        for key, value in record.__dict__.items():
            if key not in _STANDARD and key not in out and not key.startswith("_"):
                out[key] = value if isinstance(value, int | float | bool | None) else str(value)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            out["exception"] = record.exc_text
        return json.dumps(out, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """Plain lines for local development, with the ids when there are any."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        ids = [
            f"{key}={getattr(record, key)}"
            for key in ("request_id", "event_id")
            if getattr(record, key, None)
        ]
        return f"{line} [{' '.join(ids)}]" if ids else line


def make_handler(fmt: str, secrets: Iterable[str] = (), stream: Any = None) -> logging.Handler:
    """A stream handler with the context and secrets filters and the chosen format."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(ContextFilter())
    handler.addFilter(SecretsFilter(secrets))
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    setattr(handler, _HANDLER_MARK, True)
    return handler


def configure_logging(
    service: str,
    *,
    level: str = "INFO",
    fmt: str = "text",
    secrets: Iterable[str] = (),
    only_if_unconfigured: bool = False,
) -> bool:
    """Send the root logger's records to stderr as JSON (fmt "json") or text, with ids and
    secrets masked; the loggers of gunicorn and Celery get the same handler, and Python warnings
    are logged too. Idempotent: a second call replaces the first one's handler. With
    `only_if_unconfigured`, a process whose root logger already has other handlers (a test
    runner, an embedding app) is left alone. Returns whether logging was configured."""
    root = logging.getLogger()
    foreign = [h for h in root.handlers if not getattr(h, _HANDLER_MARK, False)]
    if only_if_unconfigured and foreign:
        return False
    _SERVICE["name"] = service
    secrets = list(secrets)
    for h in [h for h in root.handlers if getattr(h, _HANDLER_MARK, False)]:
        root.removeHandler(h)
    root.addHandler(make_handler(fmt, secrets))
    root.setLevel(level.upper())
    # Python warnings (a library's DeprecationWarning, Celery's SecurityWarning) would be bare
    # text on stderr: they become records of the "py.warnings" logger, in the same format.
    logging.captureWarnings(True)
    for name in ("gunicorn.error", "gunicorn.access", "celery", "celery.task"):
        other = logging.getLogger(name)
        for h in list(other.handlers):
            if not getattr(h, _HANDLER_MARK, False):
                other.removeHandler(h)
        other.propagate = True
    return True


def configure_from_env(
    service: str, env: Mapping[str, str], *, only_if_unconfigured: bool = False
) -> bool:
    """configure_logging() for a command-line process or worker, from LOG_LEVEL, LOG_FORMAT
    (json or text; default text) and the secrets among the environment's values."""
    return configure_logging(
        service,
        level=env.get("LOG_LEVEL", "INFO"),
        fmt=env.get("LOG_FORMAT", "text").lower(),
        secrets=secrets_in(env),
        only_if_unconfigured=only_if_unconfigured,
    )
