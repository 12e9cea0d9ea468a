"""Rule 9 on the domain: leaving, the retention period, and what anonymising removes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest

from services.cases.domain.model import Case
from services.cases.domain.school import Guardian, PartnershipSettings, Pupil
from shared.auth import InvalidToken, Principal, Role, issue_token, verify_token
from shared.errors import RuleViolation, StateConflict

TODAY = date(2026, 10, 15)


def _pupil() -> Pupil:
    return Pupil(
        partnership_id=uuid4(),
        school_id=uuid4(),
        given_name="Daan",
        family_name="Mulder",
        date_of_birth=date(2017, 3, 14),
        group="groep 4",
        enrolled_on=date(2021, 8, 23),
        pupil_number="1001",
        guardians=[Guardian("Eva Mulder", "eva@example.nl", None)],
    )


def test_leaving_is_in_the_past_and_after_enrolment():
    pupil = _pupil()
    with pytest.raises(RuleViolation) as err:
        pupil.leave(TODAY + timedelta(days=1), TODAY)
    assert "left_on" in err.value.errors
    with pytest.raises(RuleViolation):
        pupil.leave(date(2020, 1, 1), TODAY)
    pupil.leave(TODAY, TODAY)
    assert pupil.left_on == TODAY


def test_retention_is_two_years_after_leaving_or_three_with_a_referral():
    pupil, settings = _pupil(), PartnershipSettings()
    assert pupil.retention_ends(settings, referred=False) is None  # still at school
    pupil.leave(date(2026, 7, 17), TODAY)
    assert pupil.retention_ends(settings, referred=False) == date(2028, 7, 17)
    assert pupil.retention_ends(settings, referred=True) == date(2029, 7, 17)


def test_retention_runs_from_the_later_of_leaving_and_closing_the_last_case():
    pupil, settings = _pupil(), PartnershipSettings()
    pupil.leave(date(2026, 7, 17), TODAY)
    assert pupil.retention_ends(settings, False, date(2027, 3, 1)) == date(2029, 3, 1)
    assert pupil.retention_ends(settings, False, date(2026, 7, 1)) == date(2028, 7, 17)


def test_leaving_with_a_case_open_is_flagged_with_ids_and_the_date_only():
    pupil, case_id = _pupil(), uuid4()
    pupil.leave(TODAY, TODAY, open_case_id=case_id)
    [event] = pupil.events
    assert event.type == "pupil.left_with_open_case"
    assert event.payload() == {"pupil_id": pupil.id, "case_id": case_id, "left_on": TODAY}
    quiet = _pupil()
    quiet.leave(TODAY, TODAY)
    assert quiet.events == []


def test_anonymising_removes_what_identifies_and_keeps_the_facts():
    pupil = _pupil()
    pupil.anonymise(TODAY)
    assert (pupil.given_name, pupil.family_name, pupil.pupil_number, pupil.guardians) == (
        "Geanonimiseerd",
        "",
        None,
        [],
    )
    assert pupil.date_of_birth == date(2017, 1, 1)  # the year stays, the day goes
    [event] = pupil.events
    assert event.type == "pupil.anonymised" and event.payload() == {
        "pupil_id": pupil.id,
        "anonymised_on": TODAY,
    }
    with pytest.raises(StateConflict):
        pupil.leave(TODAY, TODAY)


def test_only_a_closed_case_is_anonymised_and_its_codes_and_dates_stay():
    pupil = _pupil()
    case = Case.open(
        pupil=pupil,
        opened_on=date(2026, 9, 1),
        needs_extra_support=False,
        settings=PartnershipSettings(),
        today=TODAY,
    )
    item = case.start_intervention(
        domain="reading_dyslexia",
        goal="Leest AVI-E4 vlot",
        starts_on=date(2026, 9, 7),
        evaluate_by=date(2026, 11, 2),
        settings=PartnershipSettings(),
        profile=None,
    )
    case.evaluate_intervention(
        item.id, outcome="effective", note="Gaat goed", evaluated_on=date(2026, 10, 12), today=TODAY
    )
    with pytest.raises(StateConflict):
        case.anonymise()
    case.close(TODAY, "pupil_left", today=TODAY)
    case.anonymise()
    assert (item.goal, item.evaluation_note) == ("", None)
    assert (item.domain, item.outcome, item.evaluated_on) == (
        "reading_dyslexia",
        "effective",
        date(2026, 10, 12),
    )


def test_tokens_follow_the_given_clock_not_the_machines():
    later = datetime(2030, 1, 1, tzinfo=UTC)  # after the machine's date
    principal = Principal(user_id=uuid4(), role=Role.ADMIN, partnership_id=uuid4())
    token = issue_token(principal, "s" * 32, later)
    assert verify_token(token, "s" * 32, later).user_id == principal.user_id
    with pytest.raises(InvalidToken):  # expired by the verifying clock
        verify_token(token, "s" * 32, later + timedelta(hours=2))
