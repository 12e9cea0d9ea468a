"""Delivers one message to one (recipient, channel) through Apprise, so each outcome is known.

E-mail (`mailto://`, `mailtos://`) leaves through `smtp_mail`: Apprise parses the transport URL,
and the message (a meeting request, List-Unsubscribe) is built with Python's email package and
sent over a connection the process keeps open per transport (`smtp_pool`).

A fresh Apprise object per send: a reused e-mail plugin object waits `request_rate_per_sec`
(5.5 s) between sends, which would serialise a worker. Apprise's own retries stay off (our task
owns retries) and its sockets get timeouts. URLs are never logged: they carry secrets.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import apprise

from services.notifications.adapters import smtp_mail
from services.notifications.adapters.smtp_pool import Refused, SmtpPool

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SendResult:
    ok: bool
    error: str | None = None


class InvalidTransport(ValueError):
    """Apprise cannot parse the URL."""


def check_url(url: str) -> None:
    """Refuse a URL Apprise cannot turn into a notification service."""
    if apprise.Apprise.instantiate(url, suppress_exceptions=True) is None:
        raise InvalidTransport("Apprise cannot use this URL")


class AppriseSender:
    """Sends through Apprise with timeouts set and plugin throttling and retries off."""

    def __init__(self, timeout_seconds: float = 10.0, mail: SmtpPool | None = None) -> None:
        self.timeout = timeout_seconds
        self.mail = mail or SmtpPool(timeout=timeout_seconds)
        # Apprise logs recipients' addresses and transport URLs (secrets) at INFO and WARNING.
        # Outcomes are recorded in our own delivery log by notification id, so it stays quiet.
        logging.getLogger("apprise").setLevel(logging.CRITICAL)

    def send(
        self,
        url: str,
        subject: str,
        body: str,
        attachments: Sequence[tuple[str, bytes]] | None = None,
        on_accepted: Callable[[], None] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> SendResult:
        """Send one message; attachments are (file name, content), written to a private
        temporary directory for Apprise and removed afterwards. `on_accepted` runs the moment
        the transport accepted the message (SMTP's 250), before the connection is closed:
        e-mail, and Apprise plugins that report it (`mark_delivered`). `headers` are e-mail
        headers (other channels have none)."""
        if urlsplit(url).scheme in smtp_mail.EMAIL_SCHEMES:
            return self._send_mail(
                url, subject, body, attachments or (), headers or {}, on_accepted
            )
        if not attachments:
            return self._send(url, subject, body, None, on_accepted)
        with tempfile.TemporaryDirectory(prefix="notify-") as folder:
            attach = apprise.AppriseAttachment()
            for name, content in attachments:
                path = Path(folder) / Path(name).name
                path.write_bytes(content)
                attach.add(str(path))
            return self._send(url, subject, body, attach, on_accepted)

    def _send_mail(
        self,
        url: str,
        subject: str,
        body: str,
        attachments: Sequence[tuple[str, bytes]],
        headers: Mapping[str, str],
        on_accepted: Callable[[], None] | None,
    ) -> SendResult:
        plugin = apprise.Apprise.instantiate(url, suppress_exceptions=True)
        recipients = parse_qs(urlsplit(url).query).get("to", [])
        if plugin is None or len(recipients) != 1:
            return SendResult(False, "invalid transport URL")
        try:
            message = smtp_mail.build_message(
                plugin, recipients[0], subject, body, attachments, headers
            )
            self.mail.send(plugin, message, on_accepted)
        except Refused:
            return SendResult(False, "Email refused")
        except Exception as err:  # noqa: BLE001 - any failure is one failed attempt
            return SendResult(False, f"{type(err).__name__}")
        return SendResult(True)

    def _send(
        self,
        url: str,
        subject: str,
        body: str,
        attach: apprise.AppriseAttachment | None,
        on_accepted: Callable[[], None] | None,
    ) -> SendResult:
        plugin = apprise.Apprise.instantiate(url, suppress_exceptions=True)
        if plugin is None:
            return SendResult(False, "invalid transport URL")
        if on_accepted is not None:
            _report_acceptance(plugin, on_accepted)
        plugin.request_rate_per_sec = 0
        for attr in ("socket_connect_timeout", "socket_read_timeout"):
            if hasattr(plugin, attr):
                setattr(plugin, attr, self.timeout)
        if hasattr(plugin, "timeout"):
            plugin.timeout = self.timeout
        try:
            ok = bool(
                plugin.notify(
                    body=body,
                    title=subject,
                    body_format=apprise.NotifyFormat.TEXT,
                    attach=attach,
                )
            )
        except Exception as err:  # noqa: BLE001 - any plugin failure is one failed attempt
            return SendResult(False, f"{type(err).__name__}")
        return SendResult(ok, None if ok else f"{plugin.service_name or 'transport'} refused")


def _report_acceptance(plugin: object, on_accepted: Callable[[], None]) -> None:
    """Call `on_accepted` from the plugin's `mark_delivered` (called right after a target
    accepted the message); a plugin without it never calls it, and the caller records the outcome
    when `send` returns. A failing callback never fails the send: the caller records it then."""
    original = getattr(plugin, "mark_delivered", None)
    if original is None:
        return

    def mark_delivered(*args: object, **kwargs: object) -> None:
        original(*args, **kwargs)
        try:
            on_accepted()
        except Exception:  # noqa: BLE001 - recorded again when the send returns
            log.exception("recording the acceptance of a message failed")

    plugin.mark_delivered = mark_delivered  # type: ignore[attr-defined]
