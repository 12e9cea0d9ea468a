"""While the cases service is still starting (it accepts connections but does not answer yet),
the consumer logs one line per event and tries again; no traceback in the logs (the demo showed
60 lines of one at every start)."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from dataclasses import replace

import pytest

from services.notifications import __main__ as cli
from services.notifications.adapters.cases_client import CasesDirectory
from tests.conftest import JWT_SECRET
from tests.integration.notifications.helpers import rows
from tests.integration.notifications.test_consumer import expected_intervention_rows
from tests.support.api_flows import open_case, start_intervention


@pytest.fixture
def silent_cases() -> Iterator[str]:
    """A port that accepts connections (the kernel's backlog) but never answers: a read times out
    as against a gunicorn that is still importing the app."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"


def consumer_records(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name.startswith(("shared.", "services."))]


def test_a_read_timeout_of_cases_is_one_line_and_the_event_is_tried_again(
    notifications, pipeline, world, silent_cases, clock, caplog
):
    case = open_case(world)
    start_intervention(world, case["id"])
    answering = notifications.directory
    notifications.directory = CasesDirectory(silent_cases, JWT_SECRET, clock, timeout=0.2)
    pipeline.relay()
    with caplog.at_level(logging.INFO):
        pipeline.consumer.run_once()
    failed = [r for r in consumer_records(caplog) if r.levelno >= logging.WARNING]
    assert failed, "the consumer said nothing"
    assert all(r.exc_info is None and "\n" not in r.getMessage() for r in failed)
    assert all("ReadTimeout" in r.getMessage() for r in failed)
    assert "Traceback" not in caplog.text
    assert pipeline.pending() >= 1 and rows(notifications, case_id=case["id"]) == []

    notifications.directory = answering  # cases is up now: the pending events are handled
    pipeline.consume()
    assert pipeline.pending() == 0
    assert {
        (r["policy_key"], r["recipient_role"], r["address"], r["kind"], r["send_at"])
        for r in rows(notifications, case_id=case["id"])
    } == expected_intervention_rows(case["id"])


def test_the_catch_up_at_start_waits_for_cases_in_one_line_per_try(
    notifications, silent_cases, clock, caplog
):
    notifications.settings = replace(notifications.settings, cases_url=silent_cases)
    event_log = notifications.event_log()
    event_log.timeout = 0.2
    notifications.event_log = lambda: event_log  # the same client, with a short read timeout
    consumer = cli.consumer(notifications, recover_retry_seconds=0)
    with caplog.at_level(logging.INFO):
        consumer._recovery_due = True  # as at the start of run()
        consumer.recover_if_due()
        consumer.recover_if_due()
    tries = [r for r in consumer_records(caplog) if "cannot catch up yet" in r.getMessage()]
    assert len(tries) == 2 and all(r.exc_info is None for r in tries)
    assert "Traceback" not in caplog.text
