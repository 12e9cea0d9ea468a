"""E-mail over SMTP connections kept open per transport (issue 15), against the real local SMTP
server: many messages on one connection (counted at the server), a refused recipient among
accepted ones, a server that drops the connection between messages, at MAIL or during DATA, and
a server that goes away. Each recipient's outcome is recorded as before: one attempt per
delivery, sent or failed (retried by the row's backoff), never sent twice."""

from __future__ import annotations

from uuid import UUID

from services.notifications.adapters.apprise_sender import AppriseSender
from services.notifications.adapters.smtp_pool import SmtpPool
from services.notifications.domain.transports import email_url
from services.notifications.service_layer import handlers
from tests.integration.notifications.helpers import attempts, rows
from tests.support.due_rows import plan_due_emails
from tests.support.mail import MailServer


def addresses(count: int, start: int = 0) -> list[str]:
    return [f"ib{i}@school.test" for i in range(start, start + count)]


def plan(n, to: list[str]) -> list[UUID]:
    return plan_due_emails(n.engine, n.sessions, n.cipher, to, n.clock.now())


def deliver(n, ids: list[UUID]) -> list[str]:
    """Each row delivered as its task would, in order."""
    return [handlers.deliver(i, n.store, n.sender, n.rules, n.clock.now) for i in ids]


def outcomes(n, notification_id: UUID) -> list[tuple[str, str | None]]:
    return [(a["outcome"], a["error"]) for a in attempts(n, notification_id)]


def received_once(mail_server: MailServer, to: list[str]) -> None:
    """Every address got exactly one message."""
    for address in to:
        assert len(mail_server.to(address)) == 1, address


def test_the_connection_is_reused_for_every_message_and_each_outcome_recorded(
    notifications, mail_server
):
    n, to = notifications, addresses(20)
    ids = plan(n, to)

    assert deliver(n, ids) == ["sent"] * 20
    mail_server.wait_for(20)
    assert mail_server.connections == 1  # twenty messages, one connection
    received_once(mail_server, to)
    for notification_id in ids:
        assert outcomes(n, notification_id) == [("sent", None)]
    assert n.sender.mail.opened == 1 and n.sender.mail.idle_count() == 1


def test_a_refused_recipient_fails_alone_and_the_connection_carries_on(
    notifications, mail_server, clock
):
    n, to = notifications, addresses(5)
    mail_server.refuse(to[2])
    ids = plan(n, to)

    assert deliver(n, ids) == ["sent", "sent", "planned", "sent", "sent"]
    mail_server.wait_for(4)
    received_once(mail_server, [a for a in to if a != to[2]])
    assert mail_server.to(to[2]) == []
    assert outcomes(n, ids[2]) == [("failed", "SMTPRecipientsRefused")]
    [refused] = rows(n, id=ids[2])
    assert refused["status"] == "planned" and refused["attempts"] == 1  # retried with backoff
    assert mail_server.connections == 1  # a refusal does not cost the connection

    clock.set(refused["send_at"])
    assert deliver(n, [ids[2]]) == ["planned"]
    assert [o for o, _ in outcomes(n, ids[2])] == ["failed", "failed"]


def test_a_connection_dropped_between_messages_is_replaced_without_a_failed_attempt(
    notifications, mail_server
):
    n, to = notifications, addresses(6)
    ids = plan(n, to)
    assert deliver(n, ids[:3]) == ["sent"] * 3

    mail_server.drop_next("RSET")  # as a server that timed the idle connection out
    assert deliver(n, ids[3:]) == ["sent"] * 3
    mail_server.wait_for(6)
    received_once(mail_server, to)
    assert mail_server.connections == 2
    for notification_id in ids:
        assert outcomes(n, notification_id) == [("sent", None)]


def test_a_connection_lost_at_MAIL_is_retried_once_on_a_fresh_one(notifications, mail_server):
    n, to = notifications, addresses(4)
    ids = plan(n, to)
    assert deliver(n, ids[:2]) == ["sent"] * 2

    mail_server.drop_next("MAIL")  # mid-batch, inside the third message's transaction
    assert deliver(n, ids[2:]) == ["sent"] * 2
    mail_server.wait_for(4)
    received_once(mail_server, to)
    assert mail_server.connections == 2
    assert outcomes(n, ids[2]) == [("sent", None)]


def test_lost_twice_at_MAIL_the_attempt_fails_and_its_retry_delivers_it_once(
    notifications, mail_server, clock
):
    n, to = notifications, addresses(2)
    ids = plan(n, to)
    assert deliver(n, ids[:1]) == ["sent"]

    mail_server.drop_next("MAIL")
    mail_server.drop_next("MAIL")  # the one retry on a fresh connection is lost too
    assert deliver(n, ids[1:]) == ["planned"]
    assert outcomes(n, ids[1]) == [("failed", "SMTPServerDisconnected")]
    assert mail_server.to(to[1]) == []

    clock.set(rows(n, id=ids[1])[0]["send_at"])
    assert deliver(n, ids[1:]) == ["sent"]
    mail_server.wait_for(2)
    received_once(mail_server, to)


def test_a_connection_lost_during_DATA_is_not_retried_at_once(notifications, mail_server, clock):
    """After DATA the server may hold the message: the attempt fails as one attempt (no second
    copy from the pool), and the row's own retry sends it later."""
    n, to = notifications, addresses(3)
    ids = plan(n, to)
    assert deliver(n, ids[:1]) == ["sent"]

    mail_server.drop_next("DATA")
    assert deliver(n, ids[1:2]) == ["planned"]
    assert outcomes(n, ids[1]) == [("failed", "SMTPServerDisconnected")]
    assert deliver(n, ids[2:]) == ["sent"]  # the next message opens a fresh connection
    assert mail_server.connections == 2

    clock.set(rows(n, id=ids[1])[0]["send_at"])
    assert deliver(n, ids[1:2]) == ["sent"]
    mail_server.wait_for(3)
    received_once(mail_server, to)


def test_with_the_server_gone_the_pooled_connection_fails_and_nothing_is_lost(
    notifications, mail_server, clock
):
    n, to = notifications, addresses(2)
    ids = plan(n, to)
    assert deliver(n, ids[:1]) == ["sent"]

    mail_server.stop()
    assert deliver(n, ids[1:]) == ["planned"]
    [(outcome, error)] = outcomes(n, ids[1])
    assert outcome == "failed" and error

    mail_server.start()
    clock.set(rows(n, id=ids[1])[0]["send_at"])
    assert deliver(n, ids[1:]) == ["sent"]
    mail_server.wait_for(2)
    received_once(mail_server, to)


class Monotonic:
    """A monotonic clock moved by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def send(sender: AppriseSender, mail_server: MailServer, to: str) -> bool:
    url = email_url(mail_server.apprise_url(), to)
    return sender.send(url, "Onderwerp", "Tekst").ok


def test_idle_connections_are_closed_after_the_idle_time(mail_server):
    clock = Monotonic()
    pool = SmtpPool(timeout=5, idle_seconds=30, clock=clock, reaper=False)
    sender = AppriseSender(5, pool)
    assert send(sender, mail_server, "a@school.test") and pool.idle_count() == 1

    clock.now += 29
    assert pool.close_idle() == 0
    assert send(sender, mail_server, "b@school.test") and mail_server.connections == 1

    clock.now += 31
    assert pool.close_idle() == 1 and pool.idle_count() == 0
    assert send(sender, mail_server, "c@school.test") and mail_server.connections == 2
    pool.close_idle(everything=True)


def test_transports_differ_by_host_port_login_and_tls_and_keep_their_own_connections():
    with MailServer() as one, MailServer() as other:
        pool = SmtpPool(timeout=5, reaper=False)
        sender = AppriseSender(5, pool)
        for i in range(3):
            assert send(sender, one, f"a{i}@school.test")
            assert send(sender, other, f"b{i}@school.test")
        assert (one.connections, other.connections, pool.idle_count()) == (1, 1, 2)
        pool.close_idle(everything=True)


def test_after_a_fork_the_parents_connections_are_never_used(mail_server):
    pool = SmtpPool(timeout=5, reaper=False)
    sender = AppriseSender(5, pool)
    assert send(sender, mail_server, "a@school.test")
    pool._pid = -1  # as seen from a forked child: the pooled socket is the parent's
    assert send(sender, mail_server, "b@school.test")
    assert mail_server.connections == 2 and pool.opened == 1  # counted anew in the "child"
    pool.close_idle(everything=True)


def test_the_worker_pool_follows_the_settings(notifications):
    pool = notifications.sender.mail
    assert (pool.size, pool.idle_seconds) == (2, 30.0)  # the defaults OPERATIONS.md names
    assert pool.timeout == notifications.settings.apprise_timeout_seconds
