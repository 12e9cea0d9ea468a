"""Issue 11, item 18: "Uw instemming gevraagd" for a plan whose consent was already given.

A consent request whose version the parents already answered is not sent: the answer cancels a
request still waiting when it is consumed, and at send time the cases service is asked again
(the answer may not have been consumed yet). The demo data asks nothing it already has.

Real: the cases app over HTTP, Redis, both databases, the SMTP server.
"""

from __future__ import annotations

from typing import Any

from services.cases.demo import load_demo
from services.notifications.service_layer import handlers
from tests.integration.notifications.helpers import rows
from tests.support.api_flows import (
    consent_body,
    open_case,
    outbox_types,
    plan_action,
    ready_plan,
    request_consent,
)
from tests.support.mail import MailServer

GUARDIAN = "guardian_a1@test.nl"
REQUESTED = "development_plan.consent_requested"


def deliver_due(n) -> dict[Any, str]:
    ids = handlers.due_for_dispatch(
        n.store, n.clock.now(), n.settings.dispatch_batch, n.settings.stale_after_seconds
    )
    return {
        i: handlers.deliver(
            i, n.store, n.sender, n.rules, n.clock.now, meetings=n.directory, consents=n.directory
        )
        for i in ids
    }


def consent_mails(mail_server: MailServer) -> list[str]:
    return [
        m.subject
        for m in mail_server.messages
        if GUARDIAN in m.rcpt_tos and "instemming" in m.subject
    ]


def test_a_request_answered_before_it_is_sent_is_not_sent_even_before_the_answer_is_consumed(
    world, pipeline, notifications, mail_server
):
    n = notifications
    case = open_case(world)
    plan = ready_plan(world, case["id"])
    request_consent(world, plan["id"])
    pipeline.run()  # the request is planned; the answer below is not consumed before sending
    [row] = [r for r in rows(n, event_type=REQUESTED) if r["recipient_role"] == "guardian"]
    assert row["context"]["action_plan_version"] == 1
    plan_action(world, plan["id"], "consent", consent_body(world))

    delivered = deliver_due(n)
    assert delivered[row["id"]] == "cancelled"
    [after] = [r for r in rows(n, event_type=REQUESTED) if r["id"] == row["id"]]
    assert (after["status"], after["last_error"]) == ("cancelled", "consent already answered")
    assert consent_mails(mail_server) == []


def test_an_open_request_is_sent_and_an_answer_consumed_first_cancels_a_waiting_one(
    world, pipeline, notifications, mail_server
):
    n = notifications
    case = open_case(world)
    plan = ready_plan(world, case["id"])
    request_consent(world, plan["id"])
    pipeline.run()
    deliver_due(n)
    mail_server.wait_for(1)
    assert consent_mails(mail_server) == ["Uw instemming gevraagd met het plan voor Kind a1"]

    # A second request (the first went unanswered), then the answer, both consumed before the
    # dispatcher runs: the waiting request is cancelled when the answer is consumed.
    plan_action(world, plan["id"], "consent-request", {"requested_on": "2026-10-15"})
    plan_action(world, plan["id"], "consent", consent_body(world))
    pipeline.run()
    waiting = [r for r in rows(n, event_type=REQUESTED) if r["status"] != "sent"]
    assert waiting and {r["status"] for r in waiting} == {"cancelled"}
    deliver_due(n)
    assert len(consent_mails(mail_server)) == 1


def test_the_demo_asks_no_consent_it_already_has(container):
    load_demo(container)
    types = outbox_types(container)
    assert "development_plan.consent_recorded" in types
    assert REQUESTED not in types
