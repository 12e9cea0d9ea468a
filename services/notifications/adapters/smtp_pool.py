"""SMTP connections kept open per transport within one worker process (issue 15).

Opening a connection (TCP, greeting, EHLO, STARTTLS or TLS, login) costs more than the message
itself, so a worker process keeps a few open per transport — keyed by host, port, login, TLS mode
and certificate check — and sends the next message on one of them after an RSET. Each message
still goes to one recipient in a transaction of its own, so each recipient's outcome (accepted,
refused) is known exactly as before.

- A pooled connection that no longer answers its RSET (the server closed it, restarted, timed it
  out) is dropped and a fresh one opened; nothing was sent on it.
- A connection lost during MAIL or RCPT (SMTPServerDisconnected, or 421 "closing") is retried
  once on a fresh connection: the server cannot have taken the message yet. Once DATA has
  started it is never retried here: the server may have the message, and the attempt fails as
  before (the row's own retry, with its backoff, decides), so nothing goes out twice from here.
- A refused recipient or message leaves the connection usable (smtplib sends RSET itself).
- Idle connections are closed (QUIT) after `idle_seconds`: at each checkout, and by a daemon
  thread while the process has no mail to send.
- After a fork the child forgets the parent's connections (never speaks on its sockets).
"""

from __future__ import annotations

import contextlib
import logging
import os
import smtplib
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

log = logging.getLogger(__name__)
SMTP_ERRORS = (OSError, smtplib.SMTPException)
TransportKey = tuple[str, int, str, str, str, bool]


class Refused(Exception):
    """The SMTP server refused the recipient."""


class _Tracked:
    """Notes when DATA started on this connection: from then on the server may hold the
    message, so a lost connection is no longer safe to retry."""

    data_started = False

    def data(self, msg: Any) -> tuple[int, bytes]:
        self.data_started = True
        return super().data(msg)  # type: ignore[misc]


class TrackedSMTP(_Tracked, smtplib.SMTP):
    pass


class TrackedSMTPSSL(_Tracked, smtplib.SMTP_SSL):
    pass


Connection = TrackedSMTP | TrackedSMTPSSL


@dataclass
class _Idle:
    smtp: Connection
    since: float


@dataclass
class SmtpPool:
    """At most `size` idle connections per transport; each closed after `idle_seconds` unused.
    `clock` is monotonic seconds (tests pass their own)."""

    timeout: float = 10.0
    idle_seconds: float = 30.0
    size: int = 2
    clock: Callable[[], float] = time.monotonic
    reaper: bool = True
    _idle: dict[TransportKey, list[_Idle]] = field(default_factory=dict, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)
    _pid: int = field(default_factory=os.getpid, init=False)
    _reaper: threading.Thread | None = field(default=None, init=False)
    opened: int = field(default=0, init=False)  # connections opened by this process

    def send(
        self, plugin: Any, message: EmailMessage, on_accepted: Callable[[], None] | None
    ) -> None:
        """Hand one message to its one recipient; `on_accepted` runs the moment the server
        accepted it (250 after DATA). Raises Refused or an SMTP/socket error."""
        key = transport_key(plugin)
        smtp = self._checkout(key, plugin)
        try:
            self._attempt(key, smtp, plugin, message, on_accepted)
        except SMTP_ERRORS as err:
            if not _retryable(err, smtp):
                raise
            fresh = self._connect(plugin)  # the server cannot hold it yet: once more
            self._attempt(key, fresh, plugin, message, on_accepted)

    def _attempt(
        self,
        key: TransportKey,
        smtp: Connection,
        plugin: Any,
        message: EmailMessage,
        on_accepted: Callable[[], None] | None,
    ) -> None:
        """MAIL, RCPT, DATA for the message's one recipient. The connection goes back to the
        pool when the server answered (accepted or refused: smtplib sent RSET after a refusal),
        and is closed when it was lost or anything else failed."""
        smtp.data_started = False
        try:
            refused = smtp.send_message(
                message, from_addr=plugin.from_addr[1], to_addrs=[str(message["To"])]
            )
        except (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused):
            self._checkin(key, smtp)  # answered: usable again unless it said 421 (closed)
            raise
        except BaseException:
            _close(smtp)
            raise
        _accepted(on_accepted)
        self._checkin(key, smtp)
        if refused:
            raise Refused(", ".join(f"{code}" for code, _ in refused.values()))

    def _checkout(self, key: TransportKey, plugin: Any) -> Connection:
        """An idle connection that answers RSET, or a fresh one."""
        self._forget_after_fork()
        self.close_idle()
        while True:
            with self._lock:
                idle = self._idle.get(key)
                entry = idle.pop() if idle else None
            if entry is None:
                return self._connect(plugin)
            try:
                if entry.smtp.rset()[0] == 250:
                    return entry.smtp
            except SMTP_ERRORS:
                pass
            _close(entry.smtp)  # gone, or answering anything but 250 (e.g. 421): a fresh one

    def _checkin(self, key: TransportKey, smtp: Connection) -> None:
        """Keep the connection for the next message, unless it is closed or enough are kept."""
        if smtp.sock is None:
            return
        with self._lock:
            idle = self._idle.setdefault(key, [])
            kept = len(idle) < self.size
            if kept:
                idle.append(_Idle(smtp, self.clock()))
        if not kept:
            _quit(smtp)
        self._start_reaper()

    def _connect(self, plugin: Any) -> Connection:
        smtp = connect(plugin, self.timeout)
        with self._lock:
            self.opened += 1
        return smtp

    def close_idle(self, everything: bool = False) -> int:
        """QUIT the connections idle for longer than `idle_seconds` (all with `everything`);
        returns how many."""
        limit = self.clock() - self.idle_seconds
        with self._lock:
            old = [e for idle in self._idle.values() for e in idle if everything or e.since < limit]
            for key, idle in self._idle.items():
                self._idle[key] = [e for e in idle if e not in old]
        for entry in old:
            _quit(entry.smtp)
        return len(old)

    def idle_count(self) -> int:
        with self._lock:
            return sum(len(idle) for idle in self._idle.values())

    def _forget_after_fork(self) -> None:
        if self._pid != os.getpid():  # the sockets are the parent's: never speak on them
            self._idle, self._lock, self._reaper = {}, threading.Lock(), None
            self._pid, self.opened = os.getpid(), 0

    def _start_reaper(self) -> None:
        if not self.reaper or (self._reaper is not None and self._reaper.is_alive()):
            return
        self._reaper = threading.Thread(target=self._reap, name="smtp-pool-idle", daemon=True)
        self._reaper.start()

    def _reap(self) -> None:
        """Close idle connections while there are any; the thread ends when none are left."""
        while self.idle_count():
            time.sleep(max(1.0, self.idle_seconds / 2))  # a daemon thread's own pace, not a test
            self.close_idle()


def transport_key(plugin: Any) -> TransportKey:
    """What makes two transports share connections: host, port, login, TLS mode, checks."""
    return (
        str(plugin.smtp_host),
        int(plugin.port or 0),
        str(plugin.user or ""),
        str(plugin.password or ""),
        _mode(plugin),
        bool(plugin.verify_certificate),
    )


def _mode(plugin: Any) -> str:
    return str(plugin.secure_mode) if getattr(plugin, "secure", True) else "insecure"


def connect(plugin: Any, timeout: float) -> Connection:
    """A connection to the transport Apprise parsed (TLS as its mode says, login when it has
    credentials)."""
    mode = _mode(plugin)
    context = ssl.create_default_context()
    if not plugin.verify_certificate:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    smtp: Connection
    if mode == "ssl":
        smtp = TrackedSMTPSSL(plugin.smtp_host, plugin.port, timeout=timeout, context=context)
    else:
        smtp = TrackedSMTP(plugin.smtp_host, plugin.port, timeout=timeout)
    try:
        if mode == "starttls":
            smtp.starttls(context=context)
        if plugin.user and plugin.password:
            smtp.login(plugin.user, plugin.password)
    except BaseException:
        _close(smtp)
        raise
    return smtp


def _retryable(err: BaseException, smtp: Connection) -> bool:
    """The server cannot hold the message: it answered 421 (closing, at any step), or the
    connection was lost before DATA started. Lost during DATA, it may have it: not retried."""
    if isinstance(err, smtplib.SMTPResponseException) and err.smtp_code == 421:
        return True
    if isinstance(err, smtplib.SMTPRecipientsRefused):
        return all(code == 421 for code, _ in err.recipients.values())
    return isinstance(err, smtplib.SMTPServerDisconnected) and not smtp.data_started


def _accepted(on_accepted: Callable[[], None] | None) -> None:
    """A failing callback never fails the send: the caller records the outcome afterwards."""
    if on_accepted is None:
        return
    try:
        on_accepted()
    except Exception:  # noqa: BLE001 - recorded again when the send returns
        log.exception("recording the acceptance of a message failed")


def _quit(smtp: Connection) -> None:
    with contextlib.suppress(*SMTP_ERRORS):
        smtp.quit()
    _close(smtp)


def _close(smtp: Connection) -> None:
    with contextlib.suppress(*SMTP_ERRORS):
        smtp.close()
