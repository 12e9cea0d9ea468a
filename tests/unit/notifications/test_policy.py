"""Notification policies: what makes no sense is refused with the field named; the defaults a new
partnership gets are valid and coherent; school overrides and disabled policies."""

from __future__ import annotations

import dataclasses
from datetime import time
from uuid import uuid4

import pytest

from services.notifications.domain.policy import (
    DEADLINE_EVENTS,
    DUE_DATE_FIELD,
    default_policies,
    effective_policies,
)
from shared.errors import RuleViolation
from shared.events import CATALOG
from tests.unit.notifications.builders import OTHER_SCHOOL, PARTNERSHIP, SCHOOL, policy

KNOWN = set(CATALOG)


def violation(**changes) -> dict[str, list[str]]:
    with pytest.raises(RuleViolation) as caught:
        policy(**changes).validate(KNOWN)
    return caught.value.errors


def test_a_sensible_policy_validates():
    policy().validate(KNOWN)
    policy(quiet_start=None, quiet_end=None, send_hour=23).validate(KNOWN)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"event_types": ["development_plan.evaluation_sheduled"]}, "event_types"),
        ({"event_types": []}, "event_types"),
        ({"lead_times_days": [14, -1]}, "lead_times_days"),
        ({"lead_times_days": [3, 3]}, "lead_times_days"),
        ({"lead_times_days": [400]}, "lead_times_days"),
        ({"quiet_start": time(7, 0), "quiet_end": time(7, 0)}, "quiet_hours"),
        ({"quiet_start": time(0, 0), "quiet_end": time(0, 0), "send_hour": 0}, "quiet_hours"),
        ({"quiet_start": time(22, 0), "quiet_end": None}, "quiet_hours"),
        ({"send_hour": 21}, "send_hour"),  # inside 20:00-07:00
        ({"send_hour": 6}, "send_hour"),
        ({"send_hour": 24}, "send_hour"),
        ({"delivery": "digest"}, "delivery"),  # the default roles include guardians
        ({"delivery": "weekly", "recipient_roles": ["teacher"]}, "delivery"),
        ({"escalate_after_days": 7, "escalate_to": ["director"]}, "escalate_after_days"),
        ({"recipient_roles": ["pupil"], "channels": {"pupil": ["email"]}}, "recipient_roles"),
        ({"channels": {"guardian": ["fax"], "coordinator": ["email"]}}, "channels"),
        ({"channels": {"guardian": ["email"]}}, "channels"),  # teacher and coordinator lack one
        (
            {"event_types": ["development_plan.created"], "lead_times_days": [7]},
            "lead_times_days",
        ),
    ],
)
def test_a_policy_that_makes_no_sense_names_the_field(changes, field):
    errors = violation(**changes)
    assert field in errors, errors
    assert all(isinstance(m, str) and m for m in errors[field])


def test_the_unknown_event_type_is_named_in_the_message():
    errors = violation(event_types=["development_plan.evaluation_sheduled"])
    assert any("development_plan.evaluation_sheduled" in m for m in errors["event_types"])


def test_every_problem_of_one_policy_is_reported_together():
    errors = violation(
        event_types=["nope.happened"],
        lead_times_days=[-3],
        quiet_start=time(9, 0),
        quiet_end=time(9, 0),
        delivery="digest",
        escalate_after_days=5,
    )
    assert {"event_types", "lead_times_days", "quiet_hours", "delivery"} <= set(errors)
    assert "escalate_after_days" in errors


def test_a_critical_policy_may_send_inside_quiet_hours():
    policy(send_hour=21, critical=True).validate(KNOWN)


def test_escalation_needs_an_overdue_event_and_staff_to_escalate_to():
    overdue = ["development_plan.evaluation_overdue"]
    base = {
        "event_types": overdue,
        "recipient_roles": ["coordinator"],
        "channels": {"coordinator": ["email"]},
        "lead_times_days": [],
    }
    policy(**base, escalate_after_days=7, escalate_to=["director"]).validate(KNOWN)
    errors = violation(**base, escalate_after_days=7, escalate_to=["guardian"])
    assert "escalate_to" in errors
    errors = violation(**base, escalate_after_days=0, escalate_to=["director"])
    assert "escalate_after_days" in errors


# -- the defaults --------------------------------------------------------------------------------


def test_every_default_policy_validates_against_the_catalog():
    defaults = default_policies(PARTNERSHIP)
    assert defaults
    for p in defaults:
        p.validate(KNOWN)
    assert len({p.key for p in defaults}) == len(defaults)
    assert all(p.partnership_id == PARTNERSHIP and p.school_id is None for p in defaults)


# The events that carry the same date: a reminder planned from the first with lead times and one
# triggered by the second (`*_approaching`, `*_expiring`) would be the same reminder twice.
SAME_DATE = {
    "intervention.started": "intervention.evaluation_approaching",
    "development_plan.evaluation_scheduled": "development_plan.evaluation_approaching",
    "development_plan.evaluation_rescheduled": "development_plan.evaluation_approaching",
    "referral.admission_statement_recorded": "referral.admission_statement_expiring",
    "support_profile.published": "support_profile.expiring",
}


def test_the_same_date_pairs_cover_every_dated_event_type():
    # A deadline (a TLV application's decide_by) has no *_approaching event: only its reminders.
    assert set(SAME_DATE) | set(SAME_DATE.values()) | set(DEADLINE_EVENTS) == set(DUE_DATE_FIELD)
    for scheduled, approaching in SAME_DATE.items():
        assert DUE_DATE_FIELD[scheduled] == DUE_DATE_FIELD[approaching]


def test_no_default_reminder_is_given_both_from_the_date_and_from_its_approach():
    defaults = default_policies(PARTNERSHIP)
    planned_from_date = {
        t for p in defaults if p.lead_times_days for t in p.event_types if t in SAME_DATE
    }
    triggered_by_approach = {t for p in defaults for t in p.event_types if t in SAME_DATE.values()}
    assert planned_from_date, "the defaults plan reminders from dates"
    for scheduled in planned_from_date:
        assert SAME_DATE[scheduled] not in triggered_by_approach, scheduled


def test_no_two_default_policies_remind_the_same_role_of_the_same_date():
    seen: dict[tuple[str, str], str] = {}
    for p in default_policies(PARTNERSHIP):
        if not p.lead_times_days:
            continue
        dates = {SAME_DATE.get(t, t) for t in p.event_types}  # scheduled + rescheduled: one date
        for key in ((d, role) for d in dates for role in p.recipient_roles):
            assert key not in seen, (key, seen.get(key), p.key)
            seen[key] = p.key


# -- effective policies --------------------------------------------------------------------------


def test_a_school_override_replaces_the_partnership_policy_by_key_for_that_school_only():
    wide = policy()
    override = dataclasses.replace(wide, id=uuid4(), school_id=SCHOOL, lead_times_days=[7])
    other = policy(key="other", name="Other")
    chosen = effective_policies([override, wide, other], SCHOOL)
    assert {p.key: p.id for p in chosen} == {"plan_evaluation": override.id, "other": other.id}
    elsewhere = effective_policies([override, wide, other], OTHER_SCHOOL)
    assert {p.key: p.id for p in elsewhere} == {"plan_evaluation": wide.id, "other": other.id}


def test_disabled_policies_are_dropped_and_a_disabled_override_silences_the_school():
    wide = policy()
    silenced = dataclasses.replace(wide, id=uuid4(), school_id=SCHOOL, enabled=False)
    assert effective_policies([wide, silenced], SCHOOL) == []
    assert [p.id for p in effective_policies([wide, silenced], OTHER_SCHOOL)] == [wide.id]
    assert effective_policies([dataclasses.replace(wide, enabled=False)], OTHER_SCHOOL) == []


def test_without_a_school_only_partnership_policies_apply():
    wide = policy()
    override = dataclasses.replace(wide, id=uuid4(), school_id=SCHOOL, lead_times_days=[7])
    assert [p.id for p in effective_policies([override, wide], None)] == [wide.id]
