"""Issue 17, item 6: "Ondersteuning gestart voor Noor" went out for an intervention evaluated long
before. At send time (DESIGN.md §6) the cases service is asked whether the intervention still runs;
a message about one already evaluated is cancelled with a reason, not sent.

Real: the cases app over HTTP, Redis, both databases, the SMTP server.
"""

from __future__ import annotations

from typing import Any

from services.notifications.service_layer import handlers
from tests.integration.notifications.helpers import rows
from tests.support.api_flows import evaluate_intervention, open_case, start_intervention

STARTED = "intervention.started"


def deliver_due(n) -> dict[Any, str]:
    ids = handlers.due_for_dispatch(
        n.store, n.clock.now(), n.settings.dispatch_batch, n.settings.stale_after_seconds
    )
    return {
        i: handlers.deliver(
            i,
            n.store,
            n.sender,
            n.rules,
            n.clock.now,
            consents=n.directory,
            interventions=n.directory,
        )
        for i in ids
    }


def started_mails(mail_server) -> list[str]:
    return [m.subject for m in mail_server.messages if m.subject.startswith("Ondersteuning")]


def test_support_started_for_an_intervention_already_evaluated_is_not_sent(
    world, pipeline, notifications, mail_server
):
    n = notifications
    case = open_case(world)
    intervention = start_intervention(world, case["id"])
    pipeline.run()  # planned; the evaluation below is not consumed before sending
    planned = rows(n, event_type=STARTED, kind="now")
    assert planned and {r["status"] for r in planned} == {"planned"}
    assert {r["context"]["intervention_id"] for r in planned} == {intervention["id"]}
    evaluate_intervention(world, intervention["id"])

    delivered = deliver_due(n)
    assert {delivered[r["id"]] for r in planned} == {"cancelled"}
    after = rows(n, event_type=STARTED, kind="now")
    assert {(r["status"], r["last_error"]) for r in after} == {
        ("cancelled", "intervention already finished")
    }
    assert started_mails(mail_server) == []


def test_support_started_for_a_running_intervention_is_sent(
    world, pipeline, notifications, mail_server
):
    n = notifications
    start_intervention(world, open_case(world)["id"])
    pipeline.run()
    planned = rows(n, event_type=STARTED, kind="now")
    delivered = deliver_due(n)
    assert {delivered[r["id"]] for r in planned} == {"sent"}
    mail_server.wait_for(1)
    assert started_mails(mail_server) == ["Ondersteuning gestart voor Kind a1"]
