"""The use cases of the cases service through its handlers, on the in-memory unit of work."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest

from services.cases.domain import commands as c
from services.cases.service_layer import handlers as h
from shared.auth import Principal, Role
from shared.errors import Forbidden, NotFound, RuleViolation, StateConflict, Unauthorized
from tests.unit.cases.builders import GOAL, NOTE, TODAY
from tests.unit.cases.fakes import FakeUnitOfWork

PASSWORD = "correct-horse-battery-staple"


@dataclass
class World:
    """Two partnerships: A with schools a1 and a2, B with school b1; people of every role."""

    uow: FakeUnitOfWork
    pa: UUID
    pb: UUID
    a1: UUID
    a2: UUID
    b1: UUID
    people: dict[str, Principal] = field(default_factory=dict)
    pupils: dict[str, UUID] = field(default_factory=dict)

    def guardian_of(self, pupil: str) -> UUID:
        with self.uow as uow:
            found = uow.repo.pupil(self.pupils[pupil])
            assert found is not None
            return found.guardians[0].id


def principal(role: Role, partnership: UUID, schools=(), pupils=()) -> Principal:
    return Principal(uuid4(), role, partnership, frozenset(schools), frozenset(pupils))


def register(w: World, key: str, school: UUID, actor: Principal, email: str | None = None) -> None:
    w.pupils[key] = h.register_pupil(
        c.RegisterPupil(
            school_id=school,
            given_name="Emma",
            family_name=f"de Vries {key}",
            date_of_birth=date(2017, 5, 1),
            group="groep 4",
            enrolled_on=date(2024, 8, 20),
            pupil_number=f"N-{key}",
            guardians=[{"name": f"Ouder {key}", "email": email, "phone": None, "language": "nl"}],
        ),
        w.uow,
        actor,
    )


def build_world() -> World:
    """Everything made through the handlers; principals are built directly (no tokens here)."""
    uow = FakeUnitOfWork()
    pa = h.create_partnership(
        c.CreatePartnership("SWV A", "admin@a.test", "Admin A", PASSWORD), uow
    )
    pb = h.create_partnership(
        c.CreatePartnership("SWV B", "admin@b.test", "Admin B", PASSWORD), uow
    )
    admin_a = principal(Role.ADMIN, pa)
    admin_b = principal(Role.ADMIN, pb)
    a1 = h.create_school(c.CreateSchool(pa, "OBS De Regenboog", "noord"), uow, admin_a)
    a2 = h.create_school(c.CreateSchool(pa, "CBS Het Kompas", "noord"), uow, admin_a)
    b1 = h.create_school(c.CreateSchool(pb, "De Linde", "zuid"), uow, admin_b)
    w = World(uow, pa, pb, a1, a2, b1)
    w.people = {
        "admin_a": admin_a,
        "admin_b": admin_b,
        "consultant_a": principal(Role.CONSULTANT, pa),
        "director_a1": principal(Role.DIRECTOR, pa, [a1]),
        "coordinator_a1": principal(Role.COORDINATOR, pa, [a1]),
        "teacher_a1": principal(Role.TEACHER, pa, [a1]),
        "coordinator_a2": principal(Role.COORDINATOR, pa, [a2]),
        "coordinator_b1": principal(Role.COORDINATOR, pb, [b1]),
        "service": principal(Role.SERVICE, None),
    }
    h.publish_support_profile(
        c.PublishSupportProfile(
            a1,
            ["reading_dyslexia", "math_dyscalculia"],
            ["reading_dyslexia_combined"],
            date(2025, 8, 1),
            date(2029, 7, 31),
        ),
        uow,
        w.people["coordinator_a1"],
    )
    for key in ("a1", "a1b", "a1c"):
        register(w, key, a1, w.people["coordinator_a1"])
    register(w, "a2", a2, w.people["coordinator_a2"])
    register(w, "b1", b1, w.people["coordinator_b1"])
    w.people["guardian_a1"] = principal(
        Role.GUARDIAN, pa, pupils=[w.pupils["a1"], w.pupils["a1b"], w.pupils["a1c"]]
    )
    w.people["guardian_a2"] = principal(Role.GUARDIAN, pa, pupils=[w.pupils["a2"]])
    # The teacher of the school's three pupils (a teacher sees only the pupils assigned to them).
    w.people["teacher_a1"] = principal(
        Role.TEACHER, pa, [a1], [w.pupils["a1"], w.pupils["a1b"], w.pupils["a1c"]]
    )
    return w


def as_coordinator(w: World) -> Principal:
    return w.people["coordinator_a1"]


def open_case(w: World, pupil: str = "a1", opened_on: date = date(2026, 6, 1)) -> UUID:
    return h.open_case(c.OpenCase(w.pupils[pupil], opened_on), w.uow, as_coordinator(w))


def start_intervention(w: World, case_id: UUID, domain: str = "reading_dyslexia") -> UUID:
    return h.start_intervention(
        c.StartIntervention(case_id, domain, GOAL, date(2026, 6, 8), date(2026, 8, 10)),
        w.uow,
        as_coordinator(w),
    )


def plan_command(case_id: UUID, evaluation_dates=(date(2026, 10, 1),)) -> c.CreateDevelopmentPlan:
    return c.CreateDevelopmentPlan(
        case_id=case_id,
        exit_destination="regular_primary",
        hindering_factors=["Trage woordherkenning", "Faalangst"],
        supporting_factors=["Gemotiveerd"],
        action_plan="Dagelijks 20 minuten begeleid lezen met de RT'er",
        scenarios=[
            {"expected_effect": "Emma leest AVI E4", "review_by": date(2026, 12, 1)},
            {"expected_effect": "Emma leest AVI M5", "review_by": date(2027, 3, 1)},
        ],
        agreed_end_date=date(2027, 7, 15),
        evaluation_dates=list(evaluation_dates),
        created_on=date(2026, 9, 1),
    )


def create_plan(w: World, case_id: UUID, **kw: Any) -> UUID:
    return h.create_development_plan(plan_command(case_id, **kw), w.uow, as_coordinator(w))


def prepare_plan(w: World, plan_id: UUID) -> None:
    """Record the consultation and the pupil's view."""
    actor = as_coordinator(w)
    h.record_consultation(c.RecordConsultation(plan_id, date(2026, 9, 3), ["ouders"]), w.uow, actor)
    h.record_pupil_view(
        c.RecordPupilView(plan_id, date(2026, 9, 4), "Emma wil graag"), w.uow, actor
    )


def agree(w: World, plan_id: UUID, pupil: str = "a1") -> None:
    actor = as_coordinator(w)
    h.request_consent(c.RequestConsent(plan_id, date(2026, 9, 5)), w.uow, actor)
    h.record_consent(
        c.RecordConsent(plan_id, "agreed", date(2026, 9, 10), [w.guardian_of(pupil)]), w.uow, actor
    )


def case_of(w: World, case_id: UUID):
    with w.uow as uow:
        return uow.cases.get(case_id)


# -- the whole story -------------------------------------------------------------------------------


def test_the_seed_story_writes_each_event_once_in_order():
    w = build_world()
    assert w.uow.outbox_types() == (
        ["partnership.registered"] * 2
        + ["school.registered"] * 3
        + ["support_profile.published"]
        + ["pupil.enrolled"] * 5
    )
    before, commits = len(w.uow.outbox), w.uow.commits
    actor = as_coordinator(w)

    case_id = open_case(w)
    intervention_id = start_intervention(w, case_id)
    h.evaluate_intervention(
        c.EvaluateIntervention(intervention_id, "not_effective", date(2026, 8, 10), NOTE),
        w.uow,
        actor,
    )
    plan_id = create_plan(w, case_id)
    prepare_plan(w, plan_id)
    agree(w, plan_id)
    referral = h.evaluate_plan(
        c.EvaluatePlan(plan_id, TODAY, "refer", note=NOTE, referral_destination="sbo"), w.uow, actor
    )

    story = w.uow.outbox[before:]
    assert [e.type for e in story] == [
        "case.opened",
        "intervention.started",
        "intervention.evaluated",
        "development_plan.created",
        "development_plan.evaluation_scheduled",
        "development_plan.consultation_recorded",
        "development_plan.pupil_view_recorded",
        "development_plan.consent_requested",
        "development_plan.consent_recorded",
        "development_plan.activated",
        "case.level_changed",
        "development_plan.evaluated",
        "referral.requested",
        "development_plan.closed",
    ]
    assert {(e.partnership_id, e.school_id, e.case_id_or_none) for e in story} == {
        (w.pa, w.a1, case_id)
    }
    assert referral is not None and story[-2].payload()["referral_id"] == referral.id
    stored = case_of(w, case_id)
    assert (stored.status, stored.level) == ("referred", "extra")
    assert stored.plans[0].status == "closed" and stored.referrals[0].destination == "sbo"
    assert stored.plans[0].consents[0].guardian_ids == [str(w.guardian_of("a1"))]
    assert stored.interventions[0].evaluation_note == NOTE  # kept in the case, not in the events
    assert w.uow.commits == commits + 9  # one per command


def test_an_outside_profile_intervention_is_announced_through_the_outbox():
    w = build_world()
    case_a1 = open_case(w)
    case_a2 = h.open_case(
        c.OpenCase(w.pupils["a2"], date(2026, 6, 1)), w.uow, w.people["coordinator_a2"]
    )
    before = len(w.uow.outbox)

    inside = start_intervention(w, case_a1, "math_dyscalculia")
    outside = start_intervention(w, case_a1, "gifted")  # the partnership's, not in a1's profile
    h.start_intervention(  # school a2 published no profile at all
        c.StartIntervention(case_a2, "reading_dyslexia", GOAL, date(2026, 6, 8), date(2026, 8, 10)),
        w.uow,
        w.people["coordinator_a2"],
    )

    flagged = [e for e in w.uow.outbox[before:] if e.type == "intervention.outside_support_profile"]
    with w.uow as uow:
        profile_id = uow.repo.profiles(w.a1)[0].id
    assert [(e.case_id, e.domain, e.support_profile_id) for e in flagged] == [
        (case_a1, "gifted", profile_id),
        (case_a2, "reading_dyslexia", None),
    ]
    items = {i.id: i.outside_support_profile for i in case_of(w, case_a1).interventions}
    assert items == {inside: False, outside: True}


# -- nothing is written when a command fails -------------------------------------------------------


def test_a_refused_command_writes_no_event_and_commits_nothing():
    w = build_world()
    case_id = open_case(w)
    plan_id = create_plan(w, case_id)
    outbox, commits = list(w.uow.outbox), w.uow.commits

    with pytest.raises(StateConflict) as err:
        h.request_consent(c.RequestConsent(plan_id, TODAY), w.uow, as_coordinator(w))

    assert err.value.code == "plan_incomplete"
    assert set(err.value.errors) == {"consultation", "pupil_view"}
    assert w.uow.outbox == outbox and w.uow.commits == commits and not w.uow.committed
    assert case_of(w, case_id).plans[0].status == "draft"


def test_an_input_error_found_after_loading_the_case_leaves_it_unchanged():
    w = build_world()
    case_id = open_case(w)
    outbox, commits = list(w.uow.outbox), w.uow.commits

    with pytest.raises(RuleViolation) as err:
        h.start_intervention(
            c.StartIntervention(case_id, "juggling", GOAL, date(2026, 6, 8), date(2026, 9, 1)),
            w.uow,
            as_coordinator(w),
        )

    assert set(err.value.errors) == {"domain", "evaluate_by"}
    assert w.uow.outbox == outbox and w.uow.commits == commits
    assert case_of(w, case_id).interventions == []


def test_consent_is_given_by_the_pupils_own_guardians():
    w = build_world()
    case_id = open_case(w)
    plan_id = create_plan(w, case_id)
    prepare_plan(w, plan_id)
    outbox = list(w.uow.outbox)
    stranger = w.guardian_of("a2")

    with pytest.raises(RuleViolation) as err:
        h.record_consent(
            c.RecordConsent(plan_id, "agreed", TODAY, [w.guardian_of("a1"), stranger]),
            w.uow,
            as_coordinator(w),
        )

    assert err.value.errors == {"guardian_ids": [f"Not a guardian of this pupil: {stranger}"]}
    assert w.uow.outbox == outbox
    assert case_of(w, case_id).plans[0].consents == []


def test_unknown_exit_and_referral_destinations_are_refused():
    w = build_world()
    case_id = open_case(w)
    plan_id = create_plan(w, case_id)
    prepare_plan(w, plan_id)
    agree(w, plan_id)
    outbox = list(w.uow.outbox)

    bad_plan = dataclasses.replace(plan_command(case_id), exit_destination="somewhere")
    with pytest.raises(RuleViolation) as exit_err:
        h.create_development_plan(bad_plan, w.uow, as_coordinator(w))
    with pytest.raises(RuleViolation) as referral_err:
        h.evaluate_plan(
            c.EvaluatePlan(plan_id, TODAY, "refer", referral_destination="abroad"),
            w.uow,
            as_coordinator(w),
        )

    assert list(exit_err.value.errors) == ["exit_destination"]
    assert list(referral_err.value.errors) == ["referral_destination"]
    assert w.uow.outbox == outbox
    assert case_of(w, case_id).status == "open"


def test_a_pupil_has_one_open_case_at_a_time():
    w = build_world()
    case_id = open_case(w)

    with pytest.raises(StateConflict) as err:
        open_case(w)
    h.close_case(c.CloseCase(case_id, TODAY, "goals_reached"), w.uow, as_coordinator(w))
    second = open_case(w, opened_on=TODAY)

    assert err.value.code == "case_exists"
    assert second != case_id


def test_a_case_opened_for_extra_support_gets_its_plan_deadline_from_the_partnership():
    w = build_world()
    h.update_partnership_settings(
        c.UpdatePartnershipSettings(w.pa, {"plan_deadline_weeks": 8}), w.uow, w.people["admin_a"]
    )

    case_id = h.open_case(
        c.OpenCase(w.pupils["a1"], date(2026, 10, 1), needs_extra_support=True),
        w.uow,
        as_coordinator(w),
    )

    assert case_of(w, case_id).plan_due_by == date(2026, 11, 26)  # 1 Oct + 8 weeks
    assert w.uow.outbox[-1].payload()["plan_due_by"] == date(2026, 11, 26)


def test_an_admission_statement_is_recorded_on_a_referral_of_the_coordinators_school():
    w = build_world()
    case_id = open_case(w)
    plan_id = create_plan(w, case_id)
    prepare_plan(w, plan_id)
    agree(w, plan_id)
    referral = h.evaluate_plan(
        c.EvaluatePlan(plan_id, TODAY, "refer", referral_destination="so"), w.uow, as_coordinator(w)
    )
    assert referral is not None
    cmd = c.RecordAdmissionStatement(referral.id, date(2026, 11, 1), date(2028, 7, 31))

    with pytest.raises(NotFound):
        h.record_admission_statement(cmd, w.uow, w.people["coordinator_a2"])
    with pytest.raises(NotFound):
        h.record_admission_statement(
            c.RecordAdmissionStatement(uuid4(), date(2026, 11, 1), date(2028, 7, 31)),
            w.uow,
            as_coordinator(w),
        )
    assert h.record_admission_statement(cmd, w.uow, as_coordinator(w)) == case_id

    assert w.uow.outbox[-1].type == "referral.admission_statement_recorded"
    assert case_of(w, case_id).referrals[0].admission_statement_until == date(2028, 7, 31)


# -- who may change a case -------------------------------------------------------------------------


@dataclass
class CaseWorld:
    """A world with a case (and its running intervention), a second case with a prepared plan, and
    a third pupil without a case: every write below succeeds for the school's coordinator."""

    w: World
    case_id: UUID
    intervention_id: UUID
    plan_id: UUID


def case_world() -> CaseWorld:
    w = build_world()
    case_id = open_case(w, "a1")
    intervention_id = start_intervention(w, case_id)
    plan_id = create_plan(w, open_case(w, "a1b"))
    prepare_plan(w, plan_id)
    return CaseWorld(w, case_id, intervention_id, plan_id)


WRITES: dict[str, Callable[[CaseWorld, Principal], Any]] = {
    "open_case": lambda cw, who: h.open_case(c.OpenCase(cw.w.pupils["a1c"], TODAY), cw.w.uow, who),
    "close_case": lambda cw, who: h.close_case(
        c.CloseCase(cw.case_id, TODAY, "pupil_left"), cw.w.uow, who
    ),
    "start_intervention": lambda cw, who: h.start_intervention(
        c.StartIntervention(cw.case_id, "math_dyscalculia", GOAL, TODAY, date(2026, 11, 1)),
        cw.w.uow,
        who,
    ),
    "evaluate_intervention": lambda cw, who: h.evaluate_intervention(
        c.EvaluateIntervention(cw.intervention_id, "effective", TODAY), cw.w.uow, who
    ),
    "create_development_plan": lambda cw, who: h.create_development_plan(
        plan_command(cw.case_id), cw.w.uow, who
    ),
    "record_consultation": lambda cw, who: h.record_consultation(
        c.RecordConsultation(cw.plan_id, TODAY, ["ouders"]), cw.w.uow, who
    ),
    "record_pupil_view": lambda cw, who: h.record_pupil_view(
        c.RecordPupilView(cw.plan_id, TODAY), cw.w.uow, who
    ),
    "change_action_plan": lambda cw, who: h.change_action_plan(
        c.ChangeActionPlan(cw.plan_id, "Andere aanpak"), cw.w.uow, who
    ),
    "request_consent": lambda cw, who: h.request_consent(
        c.RequestConsent(cw.plan_id, TODAY), cw.w.uow, who
    ),
    "record_consent": lambda cw, who: h.record_consent(
        c.RecordConsent(cw.plan_id, "declined", TODAY), cw.w.uow, who
    ),
    "schedule_evaluation": lambda cw, who: h.schedule_evaluation(
        c.ScheduleEvaluation(cw.plan_id, date(2027, 1, 15)), cw.w.uow, who
    ),
}

# May see the pupil but not change anything: 403.
READ_ONLY = ["teacher_a1", "director_a1", "consultant_a", "admin_a", "guardian_a1", "service"]
# May not even know the case exists: 404.
OUT_OF_SCOPE = ["coordinator_a2", "coordinator_b1", "admin_b", "guardian_a2"]


@pytest.mark.parametrize("write", WRITES)
def test_the_schools_coordinator_may_do_every_write(write):
    cw = case_world()
    before = len(cw.w.uow.outbox)

    WRITES[write](cw, as_coordinator(cw.w))

    assert cw.w.uow.committed and len(cw.w.uow.outbox) > before


@pytest.mark.parametrize("who", READ_ONLY + OUT_OF_SCOPE)
@pytest.mark.parametrize("write", WRITES)
def test_no_one_else_may_write_and_outsiders_are_told_nothing_exists(write, who):
    cw = case_world()
    outbox, commits = list(cw.w.uow.outbox), cw.w.uow.commits
    expected = Forbidden if who in READ_ONLY else NotFound

    with pytest.raises(expected):
        WRITES[write](cw, cw.w.people[who])

    assert cw.w.uow.outbox == outbox and cw.w.uow.commits == commits


def test_an_unknown_case_or_plan_is_not_found_even_for_the_coordinator():
    w = build_world()

    with pytest.raises(NotFound):
        h.close_case(c.CloseCase(uuid4(), TODAY, "x"), w.uow, as_coordinator(w))
    with pytest.raises(NotFound):
        h.request_consent(c.RequestConsent(uuid4(), TODAY), w.uow, as_coordinator(w))
    with pytest.raises(NotFound):
        h.open_case(c.OpenCase(uuid4(), TODAY), w.uow, as_coordinator(w))


# -- partnership administration --------------------------------------------------------------------


def test_only_the_partnerships_admin_changes_its_settings():
    w = build_world()

    for who, error in (
        ("coordinator_a1", Forbidden),
        ("consultant_a", Forbidden),
        ("director_a1", Forbidden),
        ("admin_b", NotFound),
    ):
        with pytest.raises(error):
            h.update_partnership_settings(
                c.UpdatePartnershipSettings(w.pa, {"evaluation_horizon_days": 7}),
                w.uow,
                w.people[who],
            )
    h.update_partnership_settings(
        c.UpdatePartnershipSettings(w.pa, {"evaluation_horizon_days": 7}),
        w.uow,
        w.people["admin_a"],
    )

    with w.uow as uow:
        assert uow.repo.partnership(w.pa).settings.evaluation_horizon_days == 7
        assert uow.repo.partnership(w.pb).settings.evaluation_horizon_days == 14


def test_only_the_partnerships_admin_adds_schools():
    w = build_world()

    for who in ("coordinator_a1", "director_a1", "consultant_a", "admin_b"):
        with pytest.raises(Forbidden):
            h.create_school(c.CreateSchool(w.pa, "Nieuwe school", "noord"), w.uow, w.people[who])
    school_id = h.create_school(
        c.CreateSchool(w.pa, "Nieuwe school", "noord"), w.uow, w.people["admin_a"]
    )

    with w.uow as uow:
        assert uow.repo.school(school_id).partnership_id == w.pa


def test_only_an_admin_creates_accounts_in_their_own_partnership():
    w = build_world()
    teacher = c.CreateUser("teacher", "Juf@School.test ", "Juf Ans", PASSWORD, school_id=w.a1)

    for who in ("coordinator_a1", "director_a1", "consultant_a"):
        with pytest.raises(Forbidden):
            h.create_user(teacher, w.uow, w.people[who])
    with pytest.raises(NotFound):  # admin B cannot see school a1
        h.create_user(teacher, w.uow, w.people["admin_b"])
    user_id = h.create_user(teacher, w.uow, w.people["admin_a"])
    with pytest.raises(StateConflict) as taken:
        h.create_user(teacher, w.uow, w.people["admin_a"])

    assert taken.value.code == "email_taken"
    with w.uow as uow:
        user = uow.repo.user(user_id)
        assert (user.email, user.partnership_id, user.school_id) == ("juf@school.test", w.pa, w.a1)


def test_account_roles_and_schools_must_fit():
    w = build_world()
    admin = w.people["admin_a"]

    with pytest.raises(RuleViolation) as no_school:
        h.create_user(c.CreateUser("coordinator", "ib@x.test", "IB", PASSWORD), w.uow, admin)
    with pytest.raises(RuleViolation) as with_school:
        h.create_user(c.CreateUser("consultant", "c@x.test", "C", PASSWORD, w.a1), w.uow, admin)
    with pytest.raises(RuleViolation) as service:
        h.create_user(c.CreateUser("service", "s@x.test", "S", PASSWORD), w.uow, admin)

    assert list(no_school.value.errors) == ["school_id"]
    assert list(with_school.value.errors) == ["school_id"]
    assert list(service.value.errors) == ["role"]


@pytest.mark.parametrize(
    ("who", "error"),
    [
        ("coordinator_a1", None),
        ("director_a1", None),
        ("admin_a", None),
        ("teacher_a1", Forbidden),
        ("consultant_a", Forbidden),
        ("guardian_a1", NotFound),
        ("coordinator_a2", NotFound),
        ("admin_b", NotFound),
    ],
)
def test_who_publishes_a_schools_support_profile(who, error):
    w = build_world()
    cmd = c.PublishSupportProfile(w.a1, ["gifted"], [], date(2026, 8, 1), date(2030, 7, 31))
    outbox = list(w.uow.outbox)

    if error is None:
        h.publish_support_profile(cmd, w.uow, w.people[who])
        assert w.uow.outbox[-1].type == "support_profile.published"
        assert w.uow.outbox[-1].payload()["version"] == 2
    else:
        with pytest.raises(error):
            h.publish_support_profile(cmd, w.uow, w.people[who])
        assert w.uow.outbox == outbox


# -- pupils and sign-in ----------------------------------------------------------------------------


def test_a_pupil_number_is_unique_within_the_school_and_staff_must_fit():
    w = build_world()
    teacher_b = h.create_user(
        c.CreateUser("teacher", "t@b.test", "T", PASSWORD, w.b1), w.uow, w.people["admin_b"]
    )
    outbox = list(w.uow.outbox)

    with pytest.raises(RuleViolation) as err:
        h.register_pupil(
            c.RegisterPupil(
                school_id=w.a1,
                given_name="Noah",
                family_name="Jansen",
                date_of_birth=date(2018, 1, 1),
                group="groep 3",
                enrolled_on=date(2022, 8, 22),
                pupil_number="N-a1",
                staff=[{"user_id": teacher_b, "role": "teacher"}],
            ),
            w.uow,
            as_coordinator(w),
        )

    assert set(err.value.errors) == {"pupil_number", "staff.0.user_id"}
    assert w.uow.outbox == outbox


def test_a_guardian_signs_in_and_sees_only_their_own_children():
    w = build_world()
    h.create_user(
        c.CreateUser("guardian", "ouder@thuis.test", "Ouder", PASSWORD), w.uow, w.people["admin_a"]
    )
    register(w, "own", w.a1, as_coordinator(w), email="ouder@thuis.test")

    guardian = h.authenticate(" Ouder@Thuis.test", PASSWORD, w.uow)

    assert guardian.role is Role.GUARDIAN and guardian.pupil_ids == {w.pupils["own"]}
    with pytest.raises(Unauthorized):
        h.authenticate("ouder@thuis.test", "wrong password", w.uow)
    with pytest.raises(Unauthorized):
        h.authenticate("nobody@thuis.test", PASSWORD, w.uow)


def test_a_deactivated_user_cannot_sign_in():
    w = build_world()
    user_id = h.create_user(
        c.CreateUser("teacher", "t@a.test", "T", PASSWORD, w.a1), w.uow, w.people["admin_a"]
    )
    assert h.authenticate("t@a.test", PASSWORD, w.uow).school_ids == {w.a1}
    with w.uow as uow:
        uow.repo.user(user_id).active = False
        uow.commit()

    with pytest.raises(Unauthorized):
        h.authenticate("t@a.test", PASSWORD, w.uow)


# -- the fake itself -------------------------------------------------------------------------------


def test_the_fake_unit_of_work_discards_what_was_not_committed():
    w = build_world()
    case_id = open_case(w)
    outbox = list(w.uow.outbox)

    with w.uow as uow:
        case = uow.cases.get(case_id)
        case.close(TODAY, "pupil_left")
    with w.uow as uow:
        uow.commit()  # a later commit must not carry the abandoned change or its events

    assert w.uow.outbox == outbox
    assert case_of(w, case_id).status == "open"
