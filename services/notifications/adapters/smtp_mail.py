"""E-mail built with Python's email package and sent over the mail transport's SMTP settings.

Apprise's e-mail plugin sends every file as an attachment in `multipart/mixed`; a calendar
invitation must instead be an alternative of the text (`multipart/alternative` with a
`text/calendar; method=REQUEST|CANCEL; charset=UTF-8` part) for Outlook, Gmail and Apple Mail to
show it as a meeting request, and a message to a parent needs List-Unsubscribe headers. So the
Apprise `mailto://` / `mailtos://` URL still names the transport (host, port, TLS mode, login,
sender: Apprise parses it), and the message itself is built and sent here, one recipient per
call so each outcome is known.
"""

from __future__ import annotations

import contextlib
import logging
import mimetypes
import smtplib
import ssl
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from typing import Any

from icalendar import Calendar

log = logging.getLogger(__name__)

EMAIL_SCHEMES = ("mailto", "mailtos")
# RFC 3834: every message is sent by a machine; auto-responders stay quiet.
AUTOMATIC = {"Auto-Submitted": "auto-generated"}
SMTP_ERRORS = (OSError, smtplib.SMTPException)
# Parts with non-ASCII text go quoted-printable or base64: no server needs 8BITMIME.
SEVEN_BIT = policy.default.clone(cte_type="7bit")


class Refused(Exception):
    """The SMTP server refused the recipient."""


def build_message(
    plugin: Any,
    recipient: str,
    subject: str,
    body: str,
    attachments: Sequence[tuple[str, bytes]],
    headers: Mapping[str, str],
) -> EmailMessage:
    """The message to one recipient: the text, a meeting request as its alternative when an
    attachment is an iTIP calendar (kept as a file too, as Gmail and Outlook send it), the other
    files attached, and Auto-Submitted plus `headers` (e.g. List-Unsubscribe)."""
    name, sender = plugin.from_addr
    message = EmailMessage(policy=SEVEN_BIT)
    message["Subject"] = " ".join(subject.split())
    message["From"] = formataddr((name or "", sender))
    message["To"] = recipient
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    for key, value in {**AUTOMATIC, **headers}.items():
        message[key] = value
    message.set_content(body)
    for filename, content in attachments:
        method = itip_method(filename, content)
        if method is not None:
            text = content.decode("utf-8")
            message.add_alternative(text, subtype="calendar", params={"method": method})
    for filename, content in attachments:
        maintype, subtype = _mime_type(filename)
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return message


def itip_method(filename: str, content: bytes) -> str | None:
    """The METHOD of an iCalendar file that is a scheduling message (REQUEST, CANCEL), else
    None."""
    if not filename.lower().endswith(".ics"):
        return None
    method = Calendar.from_ical(content).get("METHOD")
    return str(method).upper() if method else None


def _mime_type(filename: str) -> tuple[str, str]:
    if filename.lower().endswith(".ics"):
        return "application", "ics"
    guessed = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    maintype, _, subtype = guessed.partition("/")
    return maintype, subtype


def send_message(
    plugin: Any,
    message: EmailMessage,
    timeout: float,
    on_accepted: Callable[[], None] | None,
) -> None:
    """Hand one message to the transport Apprise parsed (TLS as its mode says, login when it has
    credentials). `on_accepted` runs the moment the server accepted the message (250 after
    DATA), before the connection is closed. Raises Refused or an SMTP/socket error."""
    smtp = _connect(plugin, timeout)
    try:
        refused = smtp.send_message(
            message, from_addr=plugin.from_addr[1], to_addrs=[str(message["To"])]
        )
        if refused:
            raise Refused(", ".join(f"{code}" for code, _ in refused.values()))
        _accepted(on_accepted)
    finally:
        with contextlib.suppress(*SMTP_ERRORS):
            smtp.quit()


def _connect(plugin: Any, timeout: float) -> smtplib.SMTP:
    mode = str(plugin.secure_mode) if getattr(plugin, "secure", True) else "insecure"
    context = ssl.create_default_context()
    if not plugin.verify_certificate:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    smtp: smtplib.SMTP
    if mode == "ssl":
        smtp = smtplib.SMTP_SSL(plugin.smtp_host, plugin.port, timeout=timeout, context=context)
    else:
        smtp = smtplib.SMTP(plugin.smtp_host, plugin.port, timeout=timeout)
    try:
        if mode == "starttls":
            smtp.starttls(context=context)
        if plugin.user and plugin.password:
            smtp.login(plugin.user, plugin.password)
    except BaseException:
        with contextlib.suppress(*SMTP_ERRORS):
            smtp.close()
        raise
    return smtp


def _accepted(on_accepted: Callable[[], None] | None) -> None:
    """A failing callback never fails the send: the caller records the outcome afterwards."""
    if on_accepted is None:
        return
    try:
        on_accepted()
    except Exception:  # noqa: BLE001 - recorded again when the send returns
        log.exception("recording the acceptance of a message failed")
