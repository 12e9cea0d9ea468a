"""A batch's cancellations (issue 15): filters that differ only in one id go in one prepared
UPDATE ... IN (...), the others as before; together they cancel exactly the pending rows that
match any filter (each with its own `keep`), nothing else, and say how many."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from uuid import UUID, uuid4

from services.notifications.domain.planning import PlannedNotification
from services.notifications.service_layer.handlers import CALLED_OFF
from tests.integration.notifications.helpers import rows

CONSENT_REQUESTED = "development_plan.consent_requested"
PLANS = [uuid4() for _ in range(4)]
EVALUATIONS = [uuid4() for _ in range(2)]


def planned_rows(now):
    """Pending rows of every combination the filters below tell apart, one of them sent."""
    made = []
    for i, (plan, event_type, kind, subject) in enumerate(
        [
            (plan, event_type, kind, subject)
            for plan in [*PLANS, None]
            for event_type in (CONSENT_REQUESTED, CALLED_OFF, "case.opened")
            for kind, subject in (("plan_evaluation", EVALUATIONS[0]), ("case", uuid4()))
        ]
    ):
        made.append(
            {
                "plan_id": plan,
                "event_type": event_type,
                "subject_kind": kind,
                "subject_id": subject,
                "send_at": now + timedelta(minutes=i),
                "policy_key": f"policy_{i}",  # a dedupe key of its own
                "id": uuid4(),
            }
        )
    return made


def matches(row: dict[str, object], match: dict[str, object]) -> bool:
    keep = match.get("keep")
    same = all(row[k] == v for k, v in match.items() if k != "keep")
    return same and (keep is None or row["event_type"] != keep)


def test_grouped_and_other_filters_cancel_exactly_the_matching_pending_rows(notifications, clock):
    now = clock.now()
    template = PlannedNotification(
        partnership_id=uuid4(),
        school_id=uuid4(),
        case_id=uuid4(),
        subject_kind="case",
        subject_id=uuid4(),
        event_id=uuid4(),
        event_type="case.opened",
        policy_key="case_opened",
        recipient_kind="user",
        recipient_id=str(uuid4()),
        recipient_role="coordinator",
        channel="email",
        address="ib@school.test",
        language="nl",
        template="case.opened",
        kind="now",
        due_on=None,
        send_at=now,
        critical=False,
    )
    wanted = planned_rows(now)
    planned = [dataclasses.replace(template, **values) for values in wanted]
    with notifications.store() as store:
        assert store.add_planned(planned, now) == len(planned)
        store.commit()
    filters: list[dict[str, object]] = [
        {"plan_id": PLANS[0], "event_type": CONSENT_REQUESTED},  # grouped: plan ids IN (...)
        {"plan_id": PLANS[1], "event_type": CONSENT_REQUESTED},
        {"plan_id": PLANS[0], "event_type": CONSENT_REQUESTED},  # twice: counted once
        {"plan_id": PLANS[2], "keep": CALLED_OFF},  # grouped, with its own keep
        {"subject_kind": "plan_evaluation", "subject_id": EVALUATIONS[0]},
        {"subject_kind": "plan_evaluation", "subject_id": EVALUATIONS[1]},  # matches nothing
        {"plan_id": None, "event_type": "case.opened"},  # not grouped: IS NULL, as before
        {"plan_id": PLANS[3], "subject_id": EVALUATIONS[0]},  # two ids: not grouped
    ]
    by_id = {p.id: dict(values, id=p.id) for p, values in zip(planned, wanted, strict=True)}
    expected = {i for i, row in by_id.items() if any(matches(row, m) for m in filters)}
    assert 0 < len(expected) < len(planned)

    with notifications.store() as store:
        assert store.cancel_pending_many(now, filters) == len(expected)
        store.commit()

    stored = {UUID(str(r["id"])): r for r in rows(notifications)}
    cancelled = {i for i, r in stored.items() if r["status"] == "cancelled"}
    assert cancelled == expected
    assert all("|cancelled:" in stored[i]["dedupe_key"] for i in cancelled)  # freed
    assert all(stored[i]["status"] == "planned" for i in set(stored) - expected)
    # The same filters again find nothing pending any more.
    with notifications.store() as store:
        assert store.cancel_pending_many(now, filters) == 0
        store.commit()
