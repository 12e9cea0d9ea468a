"""The crash window of a delivery: a worker killed after the SMTP server accepted a message but
before the row was recorded as sent makes the stale sweep send it again (a parent gets it twice).
The row is now recorded as sent the moment the server accepts the message (SMTP's 250), before
the connection is closed: a worker killed while Apprise says goodbye leaves a `sent` row that
the sweep does not touch. bench/crash_window.py measures the window with real SIGKILLs."""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller

from services.notifications.service_layer import handlers
from tests.integration.notifications.helpers import attempts, rows
from tests.integration.notifications.test_delivery import GUARDIAN, dispatch, started_case
from tests.support.processes import free_port


class _SlowGoodbye:
    """Accepts every message, then holds its answer to QUIT until released: the moment a worker
    is still inside Apprise although the message is already delivered."""

    def __init__(self) -> None:
        self.accepted: list[str] = []
        self.quitting = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, _server: object, _session: object, envelope: object) -> str:
        self.accepted.extend(envelope.rcpt_tos)  # type: ignore[attr-defined]
        return "250 Message accepted for delivery"

    async def handle_QUIT(self, *_: object) -> str:
        self.quitting.set()
        await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 30)
        return "221 Bye"


@pytest.fixture
def slow_goodbye(notifications):
    handler = _SlowGoodbye()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    rules = notifications.rules
    url = f"mailto://127.0.0.1:{port}?from=noreply@swv.test&mode=insecure"
    # A worker that keeps no connection says goodbye (QUIT) right after each message, which is
    # where this test holds it; a kept connection would say it only when idle for long.
    pool = notifications.sender.mail
    kept, pool.size = pool.size, 0
    yield handler, handlers.DeliveryRules(**{**rules.__dict__, "mail_url": url})
    pool.size = kept
    handler.release.set()
    controller.stop()


def test_a_message_the_server_accepted_is_sent_before_the_worker_says_goodbye(
    notifications, world, pipeline, slow_goodbye
):
    handler, rules = slow_goodbye
    n = notifications
    case = started_case(world, pipeline)
    [row_id] = dispatch(n)
    outcome: list[str] = []
    worker = threading.Thread(
        target=lambda: outcome.append(
            handlers.deliver(row_id, n.store, n.sender, rules, n.clock.now)
        )
    )
    worker.start()
    try:
        assert handler.quitting.wait(30), "the message never reached the SMTP server"
        # A worker killed now: the row says sent, so the stale sweep leaves it alone.
        [row] = rows(n, case_id=case["id"], recipient_role="guardian")
        assert row["status"] == "sent"
        assert [a["outcome"] for a in attempts(n, row_id)] == ["sent"]
        n.clock.advance(timedelta(seconds=n.settings.stale_after_seconds + 1))
        assert dispatch(n) == []
    finally:
        handler.release.set()
        worker.join(timeout=30)
    assert outcome == ["sent"]
    assert handler.accepted == [GUARDIAN]
    assert [a["outcome"] for a in attempts(n, row_id)] == ["sent"]
