"""E-mail built with Python's email package and sent over the mail transport's SMTP settings.

Apprise's e-mail plugin sends every file as an attachment in `multipart/mixed`; a calendar
invitation must instead be an alternative of the text (`multipart/alternative` with a
`text/calendar; method=REQUEST|CANCEL; charset=UTF-8` part) for Outlook, Gmail and Apple Mail to
show it as a meeting request, and a message to a parent needs List-Unsubscribe headers. So the
Apprise `mailto://` / `mailtos://` URL still names the transport (host, port, TLS mode, login,
sender: Apprise parses it), and the message itself is built here and sent by `smtp_pool` over a
connection kept open per transport, one recipient per transaction so each outcome is known.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from typing import Any

from icalendar import Calendar

EMAIL_SCHEMES = ("mailto", "mailtos")
# RFC 3834: every message is sent by a machine; auto-responders stay quiet.
AUTOMATIC = {"Auto-Submitted": "auto-generated"}
# Parts with non-ASCII text go quoted-printable or base64: no server needs 8BITMIME.
SEVEN_BIT = policy.default.clone(cte_type="7bit")


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
