"""Issue 14, the TLV application's messages: the consultants' reminder of the decision's deadline
(before it, once it has passed, the escalation) and what cancels it; the coordinator's notices
(ready for the decision, decided); the guardians' message about a decision, which links to the
letter and names the way to object but never says what was decided."""

from __future__ import annotations

import dataclasses
from datetime import date
from uuid import UUID, uuid4

import pytest

from services.notifications.domain import tlv
from services.notifications.domain.notification import NotificationRow
from services.notifications.domain.planning import Recipient, plan_event
from services.notifications.domain.policy import Policy, default_policies
from services.notifications.domain.templates import check_override, render
from services.notifications.service_layer.handlers import CANCELS
from services.notifications.service_layer.messages import DeliveryRules, compose
from shared.errors import RuleViolation
from shared.events import CATALOG
from tests.conftest import NOW
from tests.unit.notifications.builders import (
    COORDINATOR,
    GUARDIAN,
    GUARDIAN_EN,
    NO_HOLIDAYS,
    PARTNERSHIP,
    PUPIL_NAME,
    SCHOOL_NAME,
    audience,
    envelope,
    local,
    notification_row,
    policy,
)

REFERRAL = UUID("7e000000-0000-4000-8000-000000000001")
CONSULTANT = Recipient("user", uuid4(), "all_consultants", "Con Sul", "con@swv.test", None, "nl")
ADMIN = Recipient("user", uuid4(), "admin", "Beheer", "beheer@swv.test", None, "nl")
GUARDIAN_TR = dataclasses.replace(GUARDIAN, id=uuid4(), email="veli@test.nl", language="tr")
WEB = "https://web.example.nl"
KNOWN = set(CATALOG)
DECIDE_BY = date(2026, 11, 26)  # a Thursday, no holiday in region noord


def people():
    return audience(GUARDIAN, GUARDIAN_EN, COORDINATOR, CONSULTANT, ADMIN)


def submitted(parents_agreed: bool = True):
    return envelope(
        "referral.submitted",
        referral_id=str(REFERRAL),
        decide_by=DECIDE_BY,
        submitted_on=date(2026, 10, 15),
        parents_agreed=parents_agreed,
    )


def decided(**data):
    values = {
        "referral_id": str(REFERRAL),
        "decision": "granted",
        "school_type": "so",
        "category": "medium",
        "valid_from": "2026-11-01",
        "valid_until": "2027-07-31",
        "parents_agreed": True,
    }
    return envelope("referral.decided", **{**values, **data})


def planned(event):
    return plan_event(event, default_policies(PARTNERSHIP), people(), NO_HOLIDAYS, NOW)


# -- the consultants' deadline ---------------------------------------------------------------------


def test_the_partnerships_consultants_are_reminded_before_the_deadline_then_when_it_passed():
    rows = [r for r in planned(submitted()) if r.policy_key == "tlv_decision_deadline"]
    moments = [(r.kind, r.recipient_role, r.template, r.send_at) for r in rows]
    assert moments == [
        ("lead:7", "all_consultants", "referral.submitted.lead", local(2026, 11, 19, 8)),
        ("overdue", "all_consultants", "referral.submitted.overdue", local(2026, 11, 27, 8)),
        # a week after the date, the partnership's administrators (escalation)
        ("escalation", "admin", "referral.submitted.escalation", local(2026, 12, 3, 8)),
    ]
    assert {(r.subject_kind, r.subject_id, r.due_on) for r in rows} == {
        ("referral", REFERRAL, DECIDE_BY)
    }
    assert len({r.dedupe_key for r in rows}) == 3


def test_the_consultants_read_whether_the_parents_agreed():
    for agreed, flagged in ((False, True), (True, False)):
        rows = [r for r in planned(submitted(agreed)) if r.policy_key == "tlv_decision_deadline"]
        for row in rows:
            message = render(row.template, "nl", row.context)
            assert ("zonder instemming van de ouders" in message.body) is flagged, row.kind
            assert PUPIL_NAME in message.body and SCHOOL_NAME in message.body
            assert "26 november 2026" in message.subject + message.body
    [lead] = [r for r in planned(submitted(False)) if r.kind == "lead:7"]
    english = render(lead.template, "en", lead.context)
    assert "without the parents' agreement" in english.body


def test_a_group_channel_gets_no_pupil_name_nor_the_parents_flag():
    p = dataclasses.replace(
        default_policies(PARTNERSHIP)[-3], group_urls=["json://hooks.example.test/cvt"]
    )
    assert p.key == "tlv_decision_deadline"
    rows = plan_event(submitted(False), [p], people(), NO_HOLIDAYS, NOW)
    groups = [r for r in rows if r.channel == "group"]
    assert {r.kind for r in groups} == {"lead:7", "overdue", "escalation"}
    for row in groups:
        message = render(row.template, "nl", row.context, group=True)
        text = message.subject + message.body
        assert PUPIL_NAME not in text and SCHOOL_NAME not in text and "instemming" not in text
        assert "pupil" not in row.context and "school" not in row.context


def test_a_late_application_is_overdue_at_once_and_escalated_a_week_after_the_date():
    late = envelope(
        "referral.submitted", referral_id=str(REFERRAL), decide_by=date(2026, 10, 12)
    )  # the deadline passed three days ago (a Monday); now is Thursday 15 October
    rows = [r for r in planned(late) if r.policy_key == "tlv_decision_deadline"]
    assert [(r.kind, r.send_at) for r in rows] == [
        ("overdue", local(2026, 10, 15, 10)),  # now: the lead reminder's day has passed
        ("escalation", local(2026, 10, 19, 8)),  # Monday 19 October (a calendar without holidays)
    ]


def test_the_decision_cancels_the_deadline_and_a_new_submission_replaces_it():
    for event_type in (tlv.DECIDED, tlv.SUBMITTED):
        [match] = CANCELS[event_type]({"referral_id": REFERRAL})
        assert match == {
            "subject_kind": "referral",
            "subject_id": REFERRAL,
            "event_type": "referral.submitted",  # not the TLV's end-date reminders
        }


def test_an_escalation_needs_an_overdue_event_or_a_deadline_with_lead_times():
    base = {
        "key": "tlv",
        "event_types": ["referral.submitted"],
        "recipient_roles": ["all_consultants"],
        "channels": {"all_consultants": ["email"]},
        "escalate_after_days": 7,
        "escalate_to": ["admin"],
    }
    policy(**base, lead_times_days=[7]).validate(KNOWN)
    with pytest.raises(RuleViolation) as caught:
        policy(**base, lead_times_days=[]).validate(KNOWN)
    assert "escalate_after_days" in caught.value.errors


# -- the coordinator ----------------------------------------------------------------------------


def test_the_coordinator_hears_once_both_advices_are_in_not_of_each():
    first = envelope("referral.advice_recorded", referral_id=str(REFERRAL), complete=False)
    assert planned(first) == []
    second = envelope("referral.advice_recorded", referral_id=str(REFERRAL), complete=True)
    [row] = planned(second)
    assert (row.policy_key, row.recipient_role) == ("tlv_school_notices", "coordinator")
    message = render(row.template, "nl", row.context)
    assert "klaar voor besluit" in message.subject
    assert "Beide deskundigenadviezen" in message.body and PUPIL_NAME in message.body


@pytest.mark.parametrize(
    ("data", "nl"),
    [
        ({}, "toegekend voor het speciaal onderwijs (categorie midden), geldig van 1 november "),
        ({"school_type": "sbo", "category": None}, "toegekend voor het speciaal basisonderwijs,"),
        (
            {"decision": "refused", "school_type": None, "category": None, "valid_from": None}
            | {"valid_until": None, "parents_agreed": False},
            "afgewezen. De aanvraag was ingediend zonder instemming van de ouders.",
        ),
    ],
)
def test_the_coordinator_reads_the_decision(data, nl):
    [row] = [r for r in planned(decided(**data)) if r.recipient_role == "coordinator"]
    assert row.template == "referral.decided"
    message = render(row.template, "nl", row.context)
    assert nl in message.body
    assert "None" not in message.body


# -- the parents --------------------------------------------------------------------------------


def guardian_rows(event):
    return [r for r in planned(event) if r.recipient_kind == "guardian"]


def as_row(planned_row) -> NotificationRow:
    return notification_row(planned_row)


def test_the_parents_get_their_own_message_which_says_nothing_of_the_decision_itself():
    rows = guardian_rows(decided())
    assert {(r.policy_key, r.template, r.critical) for r in rows} == {
        ("tlv_decided_parents", "referral.decided.parents", True)
    }
    assert {r.address for r in rows} == {GUARDIAN.email, GUARDIAN_EN.email}
    row = next(r for r in rows if r.address == GUARDIAN.email)
    private = {"decision", "school_type", "category", "valid_from", "valid_until"}
    assert private.isdisjoint(row.context), row.context
    assert row.context["referral_id"] == str(REFERRAL)
    assert row.context["contact_email"] == COORDINATOR.email

    rules = DeliveryRules(mail_url="", sms_url="", public_url="", web_url=WEB)
    message = compose([as_row(row)], "nl", rules, NOW, {})
    lines = message.body.splitlines()
    assert message.subject == f"Besluit over de aanvraag voor {PUPIL_NAME}"
    assert f"{WEB}/ouders/aanvragen/{REFERRAL}" in lines  # alone on its line
    text = message.body.replace("\n", " ")
    assert "binnen zes weken bezwaar maken bij het samenwerkingsverband" in text
    assert "Landelijke Bezwaaradviescommissie Passend Onderwijs" in text
    assert f"Vragen? Neem contact op met {COORDINATOR.name} van {SCHOOL_NAME}:" in lines
    assert COORDINATOR.email in lines
    for word in ("toegekend", "afgewezen", "speciaal", "categorie", "2027", "1 november"):
        assert word not in text, word
    assert f"{WEB}/trajecten" not in text  # no staff page for parents


@pytest.mark.parametrize("language", ["en", "tr", "ar", "pl", "uk"])
def test_the_parents_message_in_each_language_keeps_the_link_and_the_committee(language):
    row = guardian_rows(decided())[0]
    rules = DeliveryRules(mail_url="", sms_url="", public_url="", web_url=WEB)
    message = compose([as_row(row)], language, rules, NOW, {})
    dutch = compose([as_row(row)], "nl", rules, NOW, {})
    assert message.subject != dutch.subject and PUPIL_NAME in message.subject
    assert f"{WEB}/ouders/aanvragen/{REFERRAL}" in message.body.splitlines()
    assert "Landelijke Bezwaaradviescommissie Passend Onderwijs" in message.body
    assert COORDINATOR.email in message.body.splitlines()


def test_a_guardian_without_a_coordinator_around_is_sent_to_the_school():
    alone = audience(GUARDIAN)
    [row] = plan_event(decided(), default_policies(PARTNERSHIP), alone, NO_HOLIDAYS, NOW)
    message = render(row.template, "nl", row.context)
    assert f"Vragen? Neem contact op met {SCHOOL_NAME}." in message.body.splitlines()


def test_an_own_text_for_the_parents_cannot_use_the_decisions_dates_or_codes():
    for name in ("valid_until", "valid_from", "decision", "category"):
        problem = check_override("referral.decided.parents", "nl", "x", f"{{{{ {name} }}}}")
        assert problem is not None and problem.startswith(f"'{name}' is not available"), name
    assert check_override("referral.decided.parents", "nl", "Besluit", "{{ decision_url }}") is None
    assert check_override("referral.decided", "nl", "{{ decision }}", "{{ valid_until }}") is None
    own = Policy(
        PARTNERSHIP,
        "tlv_decided_parents",
        "n",
        ["referral.decided"],
        ["guardian"],
        {"guardian": ["email"]},
        templates={"referral.decided.parents": {"nl": ["Besluit", "Zie {{ decision_url }}"]}},
    )
    own.validate(KNOWN)


# -- the defaults -------------------------------------------------------------------------------


class FakePolicyStore:
    """What ensure_defaults asks of the store, for a partnership that has its older policies."""

    def __init__(self, keys: set[str]) -> None:
        self.keys = keys
        self.created: list[Policy] = []

    def has_policies(self, _partnership_id: UUID) -> bool:
        return bool(self.keys)

    def policy_keys(self, _partnership_id: UUID) -> set[str]:
        return self.keys

    def create_defaults(self, policies: list[Policy], _now: object) -> None:
        self.created += policies

    def commit(self) -> None:
        pass


def test_a_partnership_with_older_policies_gets_the_tlv_ones_once_and_a_new_one_all():
    from services.notifications.service_layer.handlers import ensure_defaults

    tlv_keys = {"tlv_decision_deadline", "tlv_school_notices", "tlv_decided_parents"}
    older = {p.key for p in default_policies(PARTNERSHIP)} - tlv_keys
    store = FakePolicyStore(older)
    ensure_defaults(store, PARTNERSHIP, NOW)
    assert {p.key for p in store.created} == tlv_keys
    store = FakePolicyStore(older | tlv_keys)
    ensure_defaults(store, PARTNERSHIP, NOW)
    assert store.created == []
    new = FakePolicyStore(set())
    ensure_defaults(new, PARTNERSHIP, NOW)
    assert tlv_keys <= {p.key for p in new.created}
