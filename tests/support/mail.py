"""A real local SMTP server for tests: aiosmtpd on 127.0.0.1, messages kept in memory.

`MailServer` listens on a free port (kept across `stop()`/`start()`, so a test can take the server
down and bring it back at the same address). `wait_for(n)` polls with a deadline until at least n
messages arrived; it never sleeps blindly.

    with MailServer() as mail:
        url = mail.apprise_url()           # mailto://127.0.0.1:<port>?from=...&mode=insecure
        ...
        [message] = mail.wait_for(1)
        assert message.subject == "..."

It also counts the connections clients opened (`connections`: EHLOs, one per smtplib
connection), can refuse recipients (`refuse`: 550 at RCPT) and can drop a connection instead of
answering a command (`drop_next("MAIL")`: the next MAIL, RSET or DATA closes the connection;
after DATA the message is not kept), as a server that restarts or times a connection out does.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

SENDER = "noreply@swv.test"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class ReceivedMail:
    """One message as the server received it: the envelope and the parsed MIME message."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage
    raw: bytes = b""  # the bytes as received, to parse again (e.g. with email.policy.strict)

    @property
    def subject(self) -> str:
        return str(self.message["Subject"] or "")

    @property
    def to(self) -> str:
        return str(self.message["To"] or "")

    @property
    def body(self) -> str:
        """The text body (the plain part of a multipart message), decoded, with \n line ends."""
        part = self.message.get_body(preferencelist=("plain", "html"))
        content = (part or self.message).get_content()
        text = content if isinstance(content, str) else content.decode()
        return text.replace("\r\n", "\n")


class _Collector:
    """The aiosmtpd handler: keeps every message it accepts, refuses the recipients in
    `refuse`, and closes the connection at the commands in `drops` (each once)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.messages: list[ReceivedMail] = []
        self.refuse: set[str] = set()
        self.drops: list[str] = []
        self.connections = 0

    def _dropped(self, server: Any, command: str) -> bool:
        with self.lock:
            if command not in self.drops:
                return False
            self.drops.remove(command)
        server.transport.close()
        return True

    async def handle_EHLO(
        self, _server: Any, session: Any, _envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        """One EHLO per connection from smtplib (none here use STARTTLS): counted as one."""
        session.host_name = hostname
        with self.lock:
            self.connections += 1
        return responses

    async def handle_MAIL(
        self, server: Any, _session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if self._dropped(server, "MAIL"):
            return "421 closing"  # never reaches the client: the connection is gone
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(
        self, _server: Any, _session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(options)
        return "250 OK"

    async def handle_RSET(self, server: Any, _session: Any, _envelope: Any) -> str:
        return "421 closing" if self._dropped(server, "RSET") else "250 OK"

    async def handle_DATA(self, server: Any, _session: Any, envelope: Any) -> str:
        if self._dropped(server, "DATA"):
            return "421 closing"
        raw = envelope.original_content or envelope.content
        parsed = message_from_bytes(raw, policy=policy.default)
        mail = ReceivedMail(envelope.mail_from, tuple(envelope.rcpt_tos), parsed, raw)  # type: ignore[arg-type]
        with self.lock:
            self.messages.append(mail)
        return "250 Message accepted for delivery"


class MailServer:
    """A local SMTP sink on 127.0.0.1 at a fixed, free port."""

    def __init__(self, port: int | None = None) -> None:
        self.host = "127.0.0.1"
        self.port = port or free_port()
        self._collector = _Collector()
        self._controller: Controller | None = None

    # -- life cycle -----------------------------------------------------------------------------

    def start(self) -> MailServer:
        """Listen (again) on the same port; messages received before are kept."""
        if self._controller is None:
            controller = Controller(self._collector, hostname=self.host, port=self.port)
            controller.start()
            self._controller = controller
        return self

    def stop(self) -> None:
        """Stop listening: connections are refused until `start()`."""
        controller, self._controller = self._controller, None
        if controller is not None:
            controller.stop()
            controller.loop.close()

    @property
    def running(self) -> bool:
        return self._controller is not None

    def __enter__(self) -> MailServer:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    # -- what arrived ---------------------------------------------------------------------------

    @property
    def messages(self) -> list[ReceivedMail]:
        with self._collector.lock:
            return list(self._collector.messages)

    def to(self, address: str) -> list[ReceivedMail]:
        """The messages with `address` among the envelope recipients."""
        return [m for m in self.messages if address in m.rcpt_tos]

    @property
    def connections(self) -> int:
        """How many connections clients opened so far (greeted with EHLO)."""
        with self._collector.lock:
            return self._collector.connections

    def refuse(self, *addresses: str) -> None:
        """Answer 550 to RCPT for these addresses from now on."""
        with self._collector.lock:
            self._collector.refuse.update(addresses)

    def drop_next(self, command: str) -> None:
        """Close the connection instead of answering the next `command` (MAIL, RSET, DATA)."""
        with self._collector.lock:
            self._collector.drops.append(command.upper())

    def clear(self) -> None:
        with self._collector.lock:
            self._collector.messages.clear()

    def wait_for(self, count: int, timeout: float = 10.0) -> list[ReceivedMail]:
        """All messages once at least `count` arrived; AssertionError after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            messages = self.messages
            if len(messages) >= count:
                return messages
            if time.monotonic() >= deadline:
                raise AssertionError(
                    f"expected {count} message(s) within {timeout:.1f} s, got {len(messages)}"
                )
            time.sleep(0.02)  # poll interval

    def apprise_url(self, sender: str = SENDER) -> str:
        """An Apprise mail transport aimed at this server (plain SMTP, no login)."""
        return f"mailto://{self.host}:{self.port}?from={sender}&mode=insecure"
