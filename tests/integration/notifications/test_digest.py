"""A staff member's daily digest goes out as one message for the whole window, once, even when
every row of the window has its own delivery task."""

from __future__ import annotations

from datetime import timedelta

from services.notifications.domain.planning import plan_event
from services.notifications.service_layer import handlers
from tests.integration.notifications.helpers import attempts, rows
from tests.unit.notifications.builders import COORDINATOR, audience, envelope, policy


def test_two_events_one_morning_digest_one_mail(notifications, mail_server, clock):
    digest = policy(
        key="plan_created_digest",
        event_types=["development_plan.created"],
        recipient_roles=["coordinator"],
        channels={"coordinator": ["email"]},
        lead_times_days=[],
        delivery="digest",
    )
    now = clock.now()
    planned = []
    for _ in range(2):
        planned += plan_event(
            envelope("development_plan.created"),
            [digest],
            audience(COORDINATOR),
            _calendar(notifications),
            now,
        )
    with notifications.store() as store:
        store.save_policy(digest, now)
        assert store.add_planned(planned, now) == 2
        store.commit()
    clock.advance(timedelta(days=1))  # Friday, past the 08:00 window
    due = handlers.due_for_dispatch(notifications.store, clock.now(), 100, 300)
    assert len(due) == 2
    results = [
        handlers.deliver(
            i, notifications.store, notifications.sender, notifications.rules, clock.now
        )
        for i in due
    ]
    assert sorted(results) == ["sent", "skipped"]  # the second task finds its row taken
    [mail] = mail_server.wait_for(1)
    assert mail.subject == "Dagoverzicht: 2 meldingen"
    assert mail.rcpt_tos == (COORDINATOR.email,)
    assert {r["status"] for r in rows(notifications)} == {"sent"}
    for row in rows(notifications):
        assert [a["outcome"] for a in attempts(notifications, row["id"])] == ["sent"]


def _calendar(notifications):
    with notifications.store() as store:
        return store.calendar()
