"""plan_event: one event, the effective policies and the audience become planned notifications.

Now is Thursday 15 October 2026, 10:00 in Amsterdam. The plan evaluation below is on Monday
30 November 2026, so its reminders go on 16 November (14 days), 27 November (3) and 30 November (0).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from datetime import date, timedelta
from uuid import uuid4

from services.notifications.domain.planning import MAX_EVENT_AGE, plan_event
from services.notifications.domain.policy import default_policies
from services.notifications.domain.templates import render
from tests.conftest import NOW
from tests.unit.notifications.builders import (
    CASE,
    COORDINATOR,
    DIRECTOR,
    DOMAIN,
    EVALUATION,
    GUARDIAN,
    GUARDIAN_EN,
    INTERVENTION,
    NO_HOLIDAYS,
    PARTNERSHIP,
    PLAN,
    PUPIL_NAME,
    SCHOOL,
    SCHOOL_NAME,
    TEACHER,
    audience,
    envelope,
    local,
    noord_autumn,
    policy,
)

DUE = date(2026, 11, 30)


def scheduled(due: date = DUE, **kwargs):
    return envelope("development_plan.evaluation_scheduled", due_on=due, **kwargs)


def test_one_row_per_recipient_channel_and_lead_time():
    p = policy(
        channels={"guardian": ["email", "sms"], "coordinator": ["email"], "teacher": ["email"]}
    )
    rows = plan_event(scheduled(), [p], audience(), NO_HOLIDAYS, NOW)
    # GUARDIAN has e-mail and phone, GUARDIAN_EN e-mail only; one teacher, one coordinator.
    expected = {
        (str(r.id), channel, f"lead:{lead}")
        for r, channel in [
            (GUARDIAN, "email"),
            (GUARDIAN, "sms"),
            (GUARDIAN_EN, "email"),
            (TEACHER, "email"),
            (COORDINATOR, "email"),
        ]
        for lead in (14, 3, 0)
    }
    assert {(r.recipient_id, r.channel, r.kind) for r in rows} == expected
    assert len(rows) == len(expected) == 15
    assert DIRECTOR.id not in {r.recipient_id for r in rows}  # not a recipient role
    moments = {r.kind: r.send_at for r in rows}
    assert moments == {
        "lead:14": local(2026, 11, 16, 8),
        "lead:3": local(2026, 11, 27, 8),
        "lead:0": local(2026, 11, 30, 8),
    }
    sms = next(r for r in rows if r.channel == "sms")
    assert sms.address == GUARDIAN.phone
    for row in rows:
        assert row.partnership_id == PARTNERSHIP and row.school_id == SCHOOL
        assert row.case_id == CASE and row.plan_id == PLAN
        assert (row.subject_kind, row.subject_id) == ("plan_evaluation", EVALUATION)
        assert row.due_on == DUE
        assert row.template == "development_plan.evaluation_scheduled.lead"
        assert row.status == "planned" and not row.critical
    languages = {r.recipient_id: r.language for r in rows}
    assert languages[str(GUARDIAN_EN.id)] == "en" and languages[str(GUARDIAN.id)] == "nl"


def test_dedupe_keys_are_unique_and_stable_when_the_same_event_is_planned_twice():
    event = scheduled()
    first = plan_event(event, [policy()], audience(), NO_HOLIDAYS, NOW)
    again = plan_event(event, [policy()], audience(), NO_HOLIDAYS, NOW + timedelta(minutes=5))
    keys = [r.dedupe_key for r in first]
    assert len(set(keys)) == len(keys) == 12
    assert sorted(r.dedupe_key for r in again) == sorted(keys)
    assert {r.id for r in first}.isdisjoint({r.id for r in again})  # new rows, same keys


def test_two_events_meaning_the_same_reminder_share_their_keys():
    # A redelivered copy with a new event id, or a reschedule to the same date: the same reminder.
    first = plan_event(scheduled(), [policy()], audience(), NO_HOLIDAYS, NOW)
    copy = plan_event(scheduled(event_id=uuid4()), [policy()], audience(), NO_HOLIDAYS, NOW)
    moved = envelope(
        "development_plan.evaluation_rescheduled", due_on=DUE, previous_due_on=date(2026, 11, 23)
    )
    same_date = plan_event(moved, [policy()], audience(), NO_HOLIDAYS, NOW)
    keys = {r.dedupe_key for r in first}
    assert {r.dedupe_key for r in copy} == keys
    assert {r.dedupe_key for r in same_date} == keys


def test_keys_differ_per_due_date_policy_and_subject():
    base = {r.dedupe_key for r in plan_event(scheduled(), [policy()], audience(), NO_HOLIDAYS, NOW)}
    other_date = plan_event(scheduled(date(2026, 12, 7)), [policy()], audience(), NO_HOLIDAYS, NOW)
    other_policy = plan_event(
        scheduled(), [policy(key="plan_evaluation_b")], audience(), NO_HOLIDAYS, NOW
    )
    other_subject = plan_event(
        scheduled(evaluation_id=str(uuid4())), [policy()], audience(), NO_HOLIDAYS, NOW
    )
    for rows in (other_date, other_policy, other_subject):
        assert base.isdisjoint(r.dedupe_key for r in rows)


def test_passed_reminders_are_skipped_but_the_last_goes_while_the_date_is_ahead():
    tomorrow = date(2026, 10, 16)
    rows = plan_event(
        scheduled(tomorrow),
        [policy(lead_times_days=[14, 7, 3])],
        audience(TEACHER),
        NO_HOLIDAYS,
        NOW,
    )
    # 14 and 7 days before have passed; 3 days before (13 October) too, but it is the last one.
    assert [(r.kind, r.send_at) for r in rows] == [("lead:3", NOW)]


def test_the_last_reminder_goes_on_the_day_itself_even_after_the_send_hour():
    today = date(2026, 10, 15)
    rows = plan_event(scheduled(today), [policy()], audience(TEACHER), NO_HOLIDAYS, NOW)
    assert [(r.kind, r.send_at) for r in rows] == [("lead:0", NOW)]


def test_no_reminder_for_a_date_that_has_passed():
    yesterday = date(2026, 10, 14)
    assert plan_event(scheduled(yesterday), [policy()], audience(), NO_HOLIDAYS, NOW) == []


def test_reminders_still_ahead_are_all_planned_and_passed_ones_dropped():
    due = date(2026, 10, 22)  # 14 days before has passed, 3 and 0 are ahead
    rows = plan_event(scheduled(due), [policy()], audience(TEACHER), NO_HOLIDAYS, NOW)
    assert [(r.kind, r.send_at) for r in rows] == [
        ("lead:3", local(2026, 10, 19, 8)),
        ("lead:0", local(2026, 10, 22, 8)),
    ]


def test_reminders_move_past_weekends_and_the_regions_holidays():
    due = date(2026, 10, 28)  # Wednesday after noord's autumn holiday (17-25 October)
    rows = plan_event(
        scheduled(due), [policy(lead_times_days=[7, 3, 0])], audience(TEACHER), noord_autumn(), NOW
    )
    # The 7-day reminder (Wednesday 21st, in the holiday) and the 3-day one (Sunday 25th) both
    # move to Monday 26th: they go as one message, the one closest to the date.
    assert [(r.kind, r.send_at) for r in rows] == [
        ("lead:3", local(2026, 10, 26, 8)),
        ("lead:0", local(2026, 10, 28, 8)),
    ]
    zuid = plan_event(
        scheduled(due),
        [policy(lead_times_days=[7])],
        audience(TEACHER, region="zuid"),
        noord_autumn(),
        NOW,
    )
    assert [r.send_at for r in zuid] == [local(2026, 10, 21, 8)]


def test_an_immediate_message_goes_now_or_after_quiet_hours():
    started = envelope("intervention.started")
    p = policy(
        key="support_started",
        event_types=["intervention.started"],
        recipient_roles=["guardian", "teacher"],
        channels={"guardian": ["email"], "teacher": ["email"]},
        lead_times_days=[],
    )
    rows = plan_event(started, [p], audience(), NO_HOLIDAYS, NOW)
    assert {r.kind for r in rows} == {"now"} and {r.send_at for r in rows} == {NOW}
    assert {(r.subject_kind, r.subject_id) for r in rows} == {("event", started.id)}
    assert {r.template for r in rows} == {"intervention.started"}
    assert len(rows) == 3  # two guardians and the teacher
    evening = local(2026, 10, 15, 22)
    late = plan_event(
        envelope("intervention.started", occurred_at=evening), [p], audience(), NO_HOLIDAYS, evening
    )
    assert {r.send_at for r in late} == {local(2026, 10, 16, 7)}


def test_a_critical_message_goes_at_once_even_at_night():
    request = envelope("development_plan.consent_requested")
    consent = next(p for p in default_policies(PARTNERSHIP) if p.key == "consent_requested")
    night = local(2026, 10, 17, 23)  # a Saturday night in noord's autumn holiday
    rows = plan_event(request, [consent], audience(), noord_autumn(), night)
    assert {(r.recipient_role, r.send_at, r.critical) for r in rows} == {("guardian", night, True)}


def test_stale_news_is_not_sent_but_reminders_of_a_replayed_event_are():
    old = NOW - MAX_EVENT_AGE - timedelta(hours=1)
    p = policy(
        key="news",
        event_types=["intervention.started"],
        lead_times_days=[],
        recipient_roles=["teacher"],
        channels={"teacher": ["email"]},
    )
    assert (
        plan_event(
            envelope("intervention.started", occurred_at=old), [p], audience(), NO_HOLIDAYS, NOW
        )
        == []
    )
    rows = plan_event(scheduled(occurred_at=old), [policy()], audience(TEACHER), NO_HOLIDAYS, NOW)
    assert len(rows) == 3


def test_an_overdue_evaluation_notifies_now_and_escalates_later():
    overdue = envelope("development_plan.evaluation_overdue", due_on=date(2026, 10, 12))
    p = next(p for p in default_policies(PARTNERSHIP) if p.key == "evaluation_overdue")
    consultant = dataclasses.replace(DIRECTOR, id=uuid4(), role="consultant")
    rows = plan_event(overdue, [p], audience(COORDINATOR, DIRECTOR, consultant), NO_HOLIDAYS, NOW)
    assert sorted((r.kind, r.recipient_role, r.send_at) for r in rows) == [
        ("escalation", "consultant", local(2026, 10, 19, 8)),
        ("escalation", "director", local(2026, 10, 19, 8)),
        ("now", "coordinator", NOW),
    ]
    escalation = next(r for r in rows if r.kind == "escalation")
    assert escalation.template == "development_plan.evaluation_overdue.escalation"
    assert escalation.due_on == date(2026, 10, 12)


def test_recipients_without_an_address_on_a_channel_are_skipped():
    p = policy(channels={"guardian": ["sms"], "coordinator": ["email"], "teacher": ["email"]})
    rows = plan_event(scheduled(), [p], audience(GUARDIAN_EN, TEACHER), NO_HOLIDAYS, NOW)
    assert {r.recipient_role for r in rows} == {"teacher"}  # GUARDIAN_EN has no phone


def test_policies_for_other_event_types_plan_nothing():
    assert (
        plan_event(
            envelope("case.opened"), default_policies(PARTNERSHIP), audience(), NO_HOLIDAYS, NOW
        )
        == []
    )


def test_group_channel_rows_carry_a_reference_but_no_names_school_or_domain():
    url = "json://hooks.example.test/swv?secret=1"
    p = policy(
        key="support_started",
        event_types=["intervention.started"],
        recipient_roles=["guardian"],
        channels={"guardian": ["email"]},
        lead_times_days=[],
        group_urls=[url],
    )
    started = envelope("intervention.started")
    rows = plan_event(started, [p], audience(GUARDIAN), NO_HOLIDAYS, NOW)
    assert Counter(r.channel for r in rows) == {"email": 1, "group": 1}
    group = next(r for r in rows if r.channel == "group")
    personal = next(r for r in rows if r.channel == "email")
    assert (group.recipient_kind, group.recipient_role, group.address) == ("group", "group", url)
    assert group.context["reference"] == str(CASE)[:8]
    assert not {"pupil", "school", "domain", "recipient_name"} & set(group.context)
    flat = repr(group.context)
    for secret in (PUPIL_NAME, SCHOOL_NAME, DOMAIN, GUARDIAN.name, str(INTERVENTION)):
        assert secret not in flat
    # The personal message to the guardian may name the child, the school and the domain.
    assert personal.context["pupil"] == PUPIL_NAME
    assert personal.context["school"] == SCHOOL_NAME
    assert personal.context["domain"] == DOMAIN
    assert group.dedupe_key != personal.dedupe_key


def test_a_reminder_never_arrives_after_its_date():
    due = date(2026, 10, 24)  # a Saturday inside noord's autumn holiday
    rows = plan_event(
        scheduled(due), [policy(lead_times_days=[0])], audience(TEACHER), noord_autumn(), NOW
    )
    # Deferring would land on Monday 26th, after the date: it goes on the last school day before.
    assert [(r.kind, r.send_at) for r in rows] == [("lead:0", local(2026, 10, 16, 8))]


# -- rule 5's plan deadline and rule 9's pupil who left with a case open (defaults) ------------


def test_the_plan_deadline_and_a_pupil_leaving_with_a_case_open_reach_staff_by_default():
    admin = dataclasses.replace(DIRECTOR, id=uuid4(), role="admin", name="Beheerder")
    people = audience(GUARDIAN, TEACHER, COORDINATOR, DIRECTOR, admin)
    defaults = default_policies(PARTNERSHIP)
    cases = [
        ("case.plan_deadline_approaching", {"plan_due_by": date(2026, 10, 26)}, {"coordinator"}),
        ("case.plan_overdue", {"plan_due_by": date(2026, 10, 12)}, {"coordinator"}),
        ("pupil.left_with_open_case", {"left_on": date(2026, 10, 15)}, {"coordinator", "admin"}),
    ]
    for event_type, data, roles in cases:
        rows = plan_event(envelope(event_type, **data), defaults, people, NO_HOLIDAYS, NOW)
        assert {(r.recipient_role, r.kind, r.channel) for r in rows} == {
            (role, "now", "email") for role in roles
        }, event_type
        for row in rows:
            for language in ("nl", "en"):
                message = render(row.template, language, {**row.context, "recipient_name": "X"})
                assert not message.subject.startswith(("Melding", "Notice")), message
                assert PUPIL_NAME in message.body and "{{" not in message.body
    late = envelope("case.plan_overdue", plan_due_by=date(2026, 10, 12))
    overdue = plan_event(late, defaults, people, NO_HOLIDAYS, NOW)
    nl = render(overdue[0].template, "nl", {**overdue[0].context, "recipient_name": "X"})
    assert "12 oktober 2026" in nl.body and nl.subject.startswith("OPP te laat")
