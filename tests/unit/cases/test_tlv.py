"""The TLV application's rules on the domain (issue 14, DESIGN rule 10): the school's draft,
sign-off, the parents' agreement (one or all), submission with or without it, two advices (one by
an orthopedagoog or psycholoog), the decision by the partnership's policy; events with ids,
codes and dates only; anonymising blanks the free texts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest

from services.cases.domain.tlv import (
    Advice,
    Grant,
    ParentsAnswer,
    TlvApplication,
    check_grant,
    minimum_end,
)
from shared.errors import RuleViolation, StateConflict
from tests.unit.cases.builders import non_code_values, types

TODAY = date(2026, 10, 15)
NOW = datetime(2026, 10, 15, 8, 0, tzinfo=UTC)
DIRECTOR, COORD, CONSULTANT = uuid4(), uuid4(), uuid4()
SO_HIGH = Grant("so", "high", date(2026, 11, 1), date(2028, 7, 31))


def free_text(event) -> dict:
    """Payload values that are neither ids, dates, codes nor flags (must be none)."""
    return {k: v for k, v in non_code_values(event).items() if not isinstance(v, bool)}


def draft(docs: set | None = None) -> TlvApplication:
    app = TlvApplication(
        referral_id=uuid4(),
        case_id=uuid4(),
        partnership_id=uuid4(),
        school_id=uuid4(),
        pupil_id=uuid4(),
        plan_id=uuid4(),
        created_on=date(2026, 10, 14),
        created_by=COORD,
    )
    app.assemble(document_ids=list(docs or []), motivation="Reden", case_documents=docs or set())
    return app


def answer(decision: str = "agreed", *guardians: str, channel: str = "online") -> ParentsAnswer:
    return ParentsAnswer(
        decision=decision,
        channel=channel,
        guardian_ids=list(guardians) or ["g1"],
        recorded_on=TODAY,
        recorded_by=uuid4(),
        recorded_at=NOW,
    )


def advice(role: str, on: date = TODAY) -> Advice:
    return Advice(
        adviser_role=role,
        adviser_name="Drs. K. Jansen",
        conclusion="Het kind is toelaatbaar tot het SO.",
        recorded_on=on,
        recorded_by=CONSULTANT,
    )


def submitted(agreed: bool = False, weeks: int = 6) -> TlvApplication:
    app = draft()
    if agreed:
        app.record_parents_answer(answer(), today=TODAY, needed=None)
    app.sign_off(director_id=DIRECTOR, on=TODAY, today=TODAY)
    app.submit(on=TODAY, by=COORD, today=TODAY, decision_weeks=weeks)
    return app


def ready() -> TlvApplication:
    app = submitted()
    app.record_advice(advice("psycholoog"), today=TODAY)
    app.record_advice(advice("deskundige"), today=TODAY)
    return app


@pytest.mark.parametrize(
    ("start", "earliest"),
    [
        (date(2026, 8, 1), date(2027, 7, 31)),  # a whole school year
        (date(2026, 11, 1), date(2028, 7, 31)),  # later in the year: the next 31 July is short
        (date(2027, 7, 31), date(2028, 7, 31)),
        (date(2028, 2, 29), date(2029, 7, 31)),
    ],
)
def test_a_statement_covers_at_least_a_school_year_and_ends_on_31_july(start, earliest):
    assert minimum_end(start) == earliest


@pytest.mark.parametrize(
    ("decision", "grant", "fields"),
    [
        ("granted", Grant("so", None, date(2026, 8, 1), date(2027, 7, 31)), {"category"}),
        ("granted", Grant("sbo", "low", date(2026, 8, 1), date(2027, 7, 31)), {"category"}),
        ("granted", Grant("so", "low", date(2026, 11, 1), date(2027, 7, 31)), {"valid_until"}),
        ("granted", Grant("sbo", None, date(2026, 8, 1), date(2027, 12, 31)), {"valid_until"}),
        ("granted", Grant(None, None, None, None), {"school_type", "valid_from", "valid_until"}),
        ("refused", Grant("sbo", None, date(2026, 8, 1), None), {"school_type", "valid_from"}),
    ],
)
def test_a_decision_that_breaks_the_policy_is_refused_with_every_field(decision, grant, fields):
    with pytest.raises(RuleViolation) as err:
        check_grant(decision, grant)
    assert set(err.value.errors) == fields


def test_a_draft_carries_documents_of_its_own_case_only_and_a_change_needs_a_new_sign_off():
    own, foreign = uuid4(), uuid4()
    app = draft({own})
    assert app.document_ids == [str(own)]
    app.sign_off(director_id=DIRECTOR, on=TODAY, today=TODAY)
    version = app.version
    with pytest.raises(RuleViolation) as err:
        app.assemble(document_ids=[own, foreign], motivation=None, case_documents={own})
    assert "document_ids" in err.value.errors and app.signed_off_on == TODAY
    app.assemble(document_ids=None, motivation="Nieuwe reden", case_documents={own})
    assert (app.motivation, app.document_ids) == ("Nieuwe reden", [str(own)])
    assert app.signed_off_on is None and app.version == version + 1


def test_submission_needs_the_directors_sign_off_and_flags_a_missing_agreement():
    app = draft()
    with pytest.raises(StateConflict) as err:
        app.submit(on=TODAY, by=COORD, today=TODAY, decision_weeks=6)
    assert err.value.code == "application_incomplete" and "sign_off" in err.value.errors
    with pytest.raises(RuleViolation):
        app.sign_off(director_id=DIRECTOR, on=TODAY + timedelta(days=1), today=TODAY)
    app.sign_off(director_id=DIRECTOR, on=TODAY, today=TODAY)
    app.submit(on=TODAY, by=COORD, today=TODAY, decision_weeks=4)
    assert (app.status, app.parents_agreed, app.decide_by) == (
        "submitted",
        False,
        date(2026, 11, 12),
    )
    (event,) = app.events
    assert event.type == "referral.submitted" and free_text(event) == {}
    assert event.payload() == {
        "case_id": app.case_id,
        "referral_id": app.referral_id,
        "submitted_on": TODAY,
        "parents_agreed": False,
        "decide_by": date(2026, 11, 12),
    }
    assert submitted(agreed=True).parents_agreed is True


def test_after_submission_the_schools_part_and_the_parents_part_are_fixed():
    app = submitted()
    for change in (
        lambda: app.record_parents_view("Onze kijk", at=NOW, by=uuid4(), guardian_id=uuid4()),
        lambda: app.record_parents_answer(answer(), today=TODAY, needed=None),
        lambda: app.sign_off(director_id=DIRECTOR, on=TODAY, today=TODAY),
        lambda: app.assemble(document_ids=[], motivation=None, case_documents=set()),
        lambda: app.submit(on=TODAY, by=COORD, today=TODAY, decision_weeks=6),
    ):
        with pytest.raises(StateConflict) as err:
            change()
        assert err.value.code == "application_submitted"


def test_under_consent_from_all_every_guardian_with_authority_agrees():
    app = draft()
    needed = frozenset({"g1", "g2"})
    app.record_parents_answer(answer("agreed", "g1"), today=TODAY, needed=needed)
    assert (app.agreement_status, app.awaited_guardian_ids) == ("awaited", ["g2"])
    with pytest.raises(StateConflict) as err:
        app.record_parents_answer(answer("agreed", "g1"), today=TODAY, needed=needed)
    assert err.value.code == "already_agreed"
    app.record_parents_answer(answer("agreed", "g2"), today=TODAY, needed=needed)
    assert app.agreement_status == "agreed"
    app.record_parents_answer(answer("declined", "g2"), today=TODAY, needed=needed)
    assert (app.agreement_status, app.awaited_guardian_ids) == ("declined", [])
    app.record_parents_answer(answer("agreed", "g1"), today=TODAY, needed=needed)
    assert app.agreement_status == "awaited"  # a decline asks everyone again
    app.sign_off(director_id=DIRECTOR, on=TODAY, today=TODAY)
    app.submit(on=TODAY, by=COORD, today=TODAY, decision_weeks=6)
    assert app.parents_agreed is False


def test_an_answer_is_dated_today_or_before_and_names_a_guardian():
    app = draft()
    late = answer()
    late.recorded_on = TODAY + timedelta(days=1)
    with pytest.raises(RuleViolation) as err:
        app.record_parents_answer(late, today=TODAY, needed=None)
    assert "recorded_on" in err.value.errors
    app.record_parents_answer(answer("declined"), today=TODAY, needed=None)
    assert app.agreement_status == "declined" and app.answers[0].position == 0


def test_two_advices_one_by_an_orthopedagoog_or_psycholoog_make_it_ready():
    app = draft()
    with pytest.raises(StateConflict) as err:
        app.record_advice(advice("psycholoog"), today=TODAY)
    assert err.value.code == "application_draft"
    app = submitted()
    app.events.clear()
    with pytest.raises(RuleViolation) as err:
        app.record_advice(advice("psycholoog", TODAY - timedelta(days=3)), today=TODAY)
    assert "recorded_on" in err.value.errors
    app.record_advice(advice("deskundige"), today=TODAY)
    with pytest.raises(RuleViolation) as err:
        app.record_advice(advice("deskundige"), today=TODAY)
    assert "adviser_role" in err.value.errors and len(app.advices) == 1
    app.record_advice(advice("orthopedagoog"), today=TODAY)
    assert app.status == "ready_for_decision"
    assert [e.payload()["complete"] for e in app.events] == [False, True]
    assert all(free_text(e) == {} for e in app.events)
    with pytest.raises(StateConflict):
        app.record_advice(advice("psycholoog"), today=TODAY)


def test_an_advice_needs_a_name_and_a_conclusion():
    app = submitted()
    empty = advice("psycholoog")
    empty.conclusion = "   "
    with pytest.raises(RuleViolation) as err:
        app.record_advice(empty, today=TODAY)
    assert "conclusion" in err.value.errors and app.advices == []


def test_the_decision_follows_both_advices_and_carries_the_contract():
    app = submitted()
    with pytest.raises(StateConflict) as err:
        app.decide("granted", SO_HIGH, decided_on=TODAY, by=CONSULTANT, today=TODAY)
    assert err.value.code == "application_submitted"
    app = ready()
    app.events.clear()
    with pytest.raises(RuleViolation) as err:
        app.decide("granted", SO_HIGH, decided_on=date(2026, 10, 1), by=CONSULTANT, today=TODAY)
    assert "decided_on" in err.value.errors and app.status == "ready_for_decision"
    app.decide("granted", SO_HIGH, decided_on=TODAY, by=CONSULTANT, today=TODAY)
    assert (app.status, app.school_type, app.category) == ("decided", "so", "high")
    (event,) = app.events
    assert types(app.events) == ["referral.decided"] and free_text(event) == {}
    assert event.payload() == {
        "case_id": app.case_id,
        "referral_id": app.referral_id,
        "decision": "granted",
        "decided_on": TODAY,
        "submitted_on": TODAY,
        "parents_agreed": False,
        "school_type": "so",
        "category": "high",
        "valid_from": date(2026, 11, 1),
        "valid_until": date(2028, 7, 31),
    }
    with pytest.raises(StateConflict) as err:
        app.decide("refused", Grant(), decided_on=TODAY, by=CONSULTANT, today=TODAY)
    assert err.value.code == "application_decided"


def test_a_refusal_carries_no_type_or_validity():
    app = ready()
    app.decide("refused", Grant(), decided_on=TODAY, by=CONSULTANT, today=TODAY)
    assert (app.decision, app.school_type, app.valid_until) == ("refused", None, None)
    assert app.events[-1].payload()["category"] is None


def test_the_parents_view_is_checked_and_anonymising_blanks_every_free_text():
    app = draft()
    with pytest.raises(RuleViolation):
        app.record_parents_view("  ", at=NOW, by=COORD, guardian_id=None)
    app.record_parents_view("Zij wil naar het SO.", at=NOW, by=COORD, guardian_id=None)
    assert app.parents_view_channel == "school"
    app.sign_off(director_id=DIRECTOR, on=TODAY, today=TODAY)
    app.submit(on=TODAY, by=COORD, today=TODAY, decision_weeks=6)
    app.record_advice(advice("psycholoog"), today=TODAY)
    app.anonymise()
    assert (app.motivation, app.parents_view_text) == (None, None)
    assert (app.advices[0].adviser_name, app.advices[0].conclusion) == ("", "")
    assert app.advices[0].adviser_role == "psycholoog"
