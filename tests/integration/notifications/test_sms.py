"""SMS goes through an Apprise URL with the recipient's number filled in; the provider is
outside the machine, so a local HTTP receiver stands in for it at the Apprise URL level."""

from __future__ import annotations

import dataclasses

from services.notifications.domain.planning import plan_event
from services.notifications.service_layer import handlers
from tests.integration.notifications.helpers import rows
from tests.unit.notifications.builders import GUARDIAN, audience, envelope, policy


def test_a_guardian_who_reads_sms_gets_the_message_on_their_number(notifications, webhook, clock):
    sms_policy = policy(
        key="support_started_sms",
        event_types=["intervention.started"],
        recipient_roles=["guardian"],
        channels={"guardian": ["sms"]},
        lead_times_days=[],
    )
    now = clock.now()
    with notifications.store() as store:
        calendar = store.calendar()
    planned = plan_event(
        envelope("intervention.started"), [sms_policy], audience(GUARDIAN), calendar, now
    )
    assert [(r.channel, r.address) for r in planned] == [("sms", GUARDIAN.phone)]
    with notifications.store() as store:
        store.save_policy(sms_policy, now)
        store.add_planned(planned, now)
        store.commit()
    rules = dataclasses.replace(notifications.rules, sms_url=webhook.apprise_url("/sms/{phone}"))
    [due] = handlers.due_for_dispatch(notifications.store, now, 10, 300)
    assert (
        handlers.deliver(due, notifications.store, notifications.sender, rules, clock.now) == "sent"
    )
    [body] = webhook.wait_for(1)
    [request] = webhook.requests
    assert request.path == "/sms/+31612345678"
    assert body["title"] == "Ondersteuning gestart voor Emma"
    assert "Beste Ouder Jansen" in body["message"]
    assert [r["status"] for r in rows(notifications)] == ["sent"]
