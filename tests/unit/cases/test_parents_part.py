"""The parents' part of a plan (issue 13): whose consent counts (one guardian, or every guardian
with parental authority), and the parents' own view (ouderdeel), which never travels in an
event."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from services.cases.domain import parents
from services.cases.domain.plan import PlanStatus
from services.cases.domain.school import Guardian
from shared.errors import RuleViolation, StateConflict
from tests.unit.cases.builders import (
    AGREED_ON,
    REQUESTED_ON,
    TODAY,
    drain,
    open_case,
    ready_plan,
    types,
)

MOTHER, FATHER = str(uuid4()), str(uuid4())
BOTH = frozenset({MOTHER, FATHER})
AT = datetime(2026, 10, 15, 8, 0, tzinfo=UTC)
VIEW = "Thuis leest Emma graag voor aan haar broertje; op school durft ze niet. Vertrouwelijk."


def requested():
    case = open_case(needs_extra_support=True)
    plan = ready_plan(case)
    case.request_consent(plan.id, requested_on=REQUESTED_ON)
    drain(case)
    return case, plan


def answer(case, plan, decision, who, needed=BOTH):
    case.record_consent(
        plan.id,
        decision=decision,
        recorded_on=AGREED_ON,
        guardian_ids=who,
        today=TODAY,
        needed=needed,
    )


def test_under_all_the_plan_waits_for_every_guardian_with_authority():
    case, plan = requested()
    answer(case, plan, "agreed", [MOTHER])
    assert plan.status == PlanStatus.AWAITING_CONSENT
    assert plan.consent_status == "requested" and plan.consented_version is None
    assert parents.still_awaited(plan.consents, plan.action_plan_version, BOTH) == {FATHER}
    assert types(drain(case)) == ["development_plan.consent_recorded"]

    answer(case, plan, "agreed", [FATHER])
    assert plan.status == PlanStatus.ACTIVE and plan.consent_status == "agreed"
    assert "development_plan.activated" in types(drain(case))


def test_under_all_one_decline_keeps_the_plan_inactive():
    case, plan = requested()
    answer(case, plan, "agreed", [MOTHER])
    answer(case, plan, "declined", [FATHER])
    assert plan.status == PlanStatus.DECLINED and plan.consent_status == "declined"
    # Asked again, everyone answers again: the mother's earlier yes no longer counts.
    case.request_consent(plan.id, requested_on=AGREED_ON)
    answer(case, plan, "agreed", [FATHER])
    assert plan.status == PlanStatus.AWAITING_CONSENT
    answer(case, plan, "agreed", [MOTHER])
    assert plan.status == PlanStatus.ACTIVE


def test_under_all_a_paper_answer_naming_both_activates_at_once():
    case, plan = requested()
    answer(case, plan, "agreed", [MOTHER, FATHER])
    assert plan.status == PlanStatus.ACTIVE


def test_under_all_the_same_guardian_cannot_agree_twice():
    case, plan = requested()
    answer(case, plan, "agreed", [MOTHER])
    with pytest.raises(StateConflict) as err:
        answer(case, plan, "agreed", [MOTHER])
    assert err.value.code == "already_agreed"
    assert len(plan.consents) == 1


def test_by_default_one_guardians_agreement_suffices():
    case, plan = requested()
    answer(case, plan, "agreed", [MOTHER], needed=None)
    assert plan.status == PlanStatus.ACTIVE


def test_a_changed_plan_under_all_asks_everyone_again():
    case, plan = requested()
    answer(case, plan, "agreed", [MOTHER, FATHER])
    case.change_action_plan(
        plan.id, action_plan="Nu twee keer per week", deviations=None, today=TODAY
    )
    assert plan.consent_status == "requested"
    answer(case, plan, "agreed", [MOTHER])
    assert plan.consent_status == "requested" and plan.consented_version == 1
    answer(case, plan, "agreed", [FATHER])
    assert plan.consented_version == 2


def test_whose_agreement_counts():
    with_authority = Guardian(name="Moeder", email=None, phone=None)
    without = Guardian(name="Stiefvader", email=None, phone=None, parental_authority=False)
    assert parents.needed_guardians("one", [with_authority, without]) is None
    assert parents.needed_guardians("all", [with_authority, without]) == {str(with_authority.id)}
    assert parents.needed_guardians("all", [without]) is None  # nobody on record: one suffices


def test_the_parents_view_is_kept_on_the_plan_and_never_in_an_event():
    case, plan = requested()
    guardian_id = uuid4()
    case.record_parents_view(plan.id, text=f"  {VIEW}  ", guardian_id=guardian_id, at=AT)
    assert plan.parents_view == parents.ParentsView(VIEW, guardian_id, AT)
    assert drain(case) == []
    # Rewriting it keeps the latest; the action plan's hash (what consent names) is untouched.
    before = plan.action_plan_hash
    case.record_parents_view(plan.id, text="Korter.", guardian_id=guardian_id, at=AT)
    assert plan.parents_view.text == "Korter." and plan.action_plan_hash == before


@pytest.mark.parametrize("text", ["", "   ", "x" * (parents.PARENTS_VIEW_MAX + 1)])
def test_an_empty_or_too_long_view_is_refused(text):
    case, plan = requested()
    with pytest.raises(RuleViolation) as err:
        case.record_parents_view(plan.id, text=text, guardian_id=uuid4(), at=AT)
    assert "text" in err.value.errors
    assert plan.parents_view is None


def test_anonymising_blanks_the_parents_view():
    case, plan = requested()
    case.record_parents_view(plan.id, text=VIEW, guardian_id=uuid4(), at=AT)
    case.close(TODAY, "goals_reached", TODAY)
    case.anonymise()
    assert plan.parents_view is None
