"""A generated history of a few thousand events, made through the cases service's own handlers
(every rule applies): many pupils in three schools of two partnerships; interventions with every
outcome, some outside the support profile; plans through consultation, the pupil's view and
consent (some declined first, then agreed after a changed action plan); extra interventions;
plan evaluations with every decision, some rescheduled; referrals with admission statements;
closed cases; and the beat's approaching/overdue notices. Seeded, so a failure can be replayed.
Schools are registered (`school.registered`, with their names) by the world before any story, and
two more join during the history, one with a BRIN code and one without.

Today is 15 October 2026 (tests.conftest.NOW); stories run from September 2025 up to today.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from uuid import UUID

from services.cases.bootstrap import Container
from services.cases.domain import commands as c
from services.cases.domain.catalog import BASIC_DOMAINS, EXTRA_DOMAINS, REFERRAL_DESTINATIONS
from services.cases.service_layer import handlers as h
from services.cases.service_layer.scheduling import emit_scheduled_notices
from shared.auth import Principal
from shared.clock import school_year_of
from tests.support.world import World

TODAY = date(2026, 10, 15)
OUTCOMES = ("effective", "partly_effective", "not_effective")
DECISIONS = ("continue", "back_to_basic", "refer")


def days(n: int) -> timedelta:
    return timedelta(days=n)


class Storyteller:
    """Tells one pupil's story at a time through the handlers, as the school's coordinator."""

    def __init__(self, container: Container, rng: random.Random) -> None:
        self.container = container
        self.rng = rng

    def pupil(self, school_id: UUID, coordinator: Principal, n: int) -> None:
        r, actor, uow = self.rng, coordinator, self.container.uow
        pupil_id = h.register_pupil(
            c.RegisterPupil(
                school_id=school_id,
                given_name=f"Kind {n}",
                family_name="Test",
                date_of_birth=date(2016, 1, 1),
                group="groep 5",
                enrolled_on=date(2021, 8, 23),
                guardians=[{"name": f"Ouder {n}", "email": None, "phone": None, "language": "nl"}],
            ),
            uow(),
            actor,
        )
        opened = date(2025, 9, 1) + days(r.randint(0, 330))
        case_id = h.open_case(c.OpenCase(pupil_id, opened), uow(), actor)
        cursor = self.interventions(case_id, opened, actor)
        if cursor is not None and cursor + days(45) < TODAY and r.random() < 0.6:
            self.plan(case_id, cursor + days(r.randint(1, 10)), actor)
        elif r.random() < 0.15:
            h.close_case(c.CloseCase(case_id, TODAY, "goals_met"), uow(), actor)

    def interventions(self, case_id: UUID, opened: date, actor: Principal) -> date | None:
        """One or two basic interventions; the date the last was evaluated (None: still running)."""
        r, cursor = self.rng, opened
        for _ in range(r.choice((1, 1, 2))):
            starts = cursor + days(r.randint(0, 10))
            evaluate_by = starts + days(7 * r.randint(3, 10))
            intervention_id = h.start_intervention(
                c.StartIntervention(
                    case_id, r.choice(list(BASIC_DOMAINS)), "doel", starts, evaluate_by
                ),
                self.container.uow(),
                actor,
            )
            evaluated = max(starts, evaluate_by + days(r.randint(-20, 20)))
            if evaluated > TODAY or r.random() < 0.1:
                return None
            h.evaluate_intervention(
                c.EvaluateIntervention(intervention_id, r.choice(OUTCOMES), evaluated),
                self.container.uow(),
                actor,
            )
            cursor = evaluated
        return cursor

    def plan(self, case_id: UUID, created: date, actor: Principal) -> None:
        r, uow = self.rng, self.container.uow
        end = created + days(330)
        first_due = min(created + days(70), school_year_of(created).end)  # rule 6
        plan_id = h.create_development_plan(
            c.CreateDevelopmentPlan(
                case_id=case_id,
                exit_destination="regular_primary",
                hindering_factors=["a"],
                supporting_factors=["b"],
                action_plan="plan",
                scenarios=[{"expected_effect": "x", "review_by": end}],
                agreed_end_date=end,
                evaluation_dates=[first_due, created + days(160)],
                created_on=created,
            ),
            uow(),
            actor,
        )
        h.record_consultation(c.RecordConsultation(plan_id, created, ["ouders"]), uow(), actor)
        h.record_pupil_view(c.RecordPupilView(plan_id, created), uow(), actor)
        asked = created + days(r.randint(1, 7))
        h.request_consent(c.RequestConsent(plan_id, asked), uow(), actor)
        answered = min(TODAY, asked + days(r.randint(2, 25)))
        if r.random() < 0.25:
            h.record_consent(c.RecordConsent(plan_id, "declined", answered), uow(), actor)
            h.change_action_plan(c.ChangeActionPlan(plan_id, "plan, aangepast"), uow(), actor)
            asked = min(TODAY, answered + days(r.randint(1, 5)))
            h.request_consent(c.RequestConsent(plan_id, asked), uow(), actor)
            answered = min(TODAY, asked + days(r.randint(2, 15)))
        h.record_consent(c.RecordConsent(plan_id, "agreed", answered), uow(), actor)
        if r.random() < 0.5:
            self.extra_intervention(case_id, answered, end, actor)
        self.evaluations(plan_id, answered, first_due, end, actor)

    def extra_intervention(self, case_id: UUID, active: date, end: date, actor: Principal) -> None:
        r = self.rng
        starts = active + days(r.randint(1, 10))
        evaluate_by = min(end, starts + days(56))
        intervention_id = h.start_intervention(
            c.StartIntervention(
                case_id, r.choice(list(EXTRA_DOMAINS)), "doel", starts, evaluate_by
            ),
            self.container.uow(),
            actor,
        )
        evaluated = evaluate_by + days(r.randint(-10, 10))
        if evaluated <= TODAY and r.random() < 0.7:
            h.evaluate_intervention(
                c.EvaluateIntervention(intervention_id, r.choice(OUTCOMES), evaluated),
                self.container.uow(),
                actor,
            )

    def evaluations(
        self, plan_id: UUID, active: date, due: date, end: date, actor: Principal
    ) -> None:
        """Hold evaluations while their day has come: continue (maybe again), back to basic or
        refer; a plan whose next evaluation lies ahead may have it moved."""
        r, uow = self.rng, self.container.uow
        while True:
            held = max(active, due + days(r.randint(-10, 25)))
            if held > TODAY:
                self.maybe_reschedule(plan_id, end, actor)
                return
            decision = r.choice(DECISIONS)
            next_on = held + days(90) if decision == "continue" else None
            if next_on is not None and next_on > end:
                decision, next_on = "back_to_basic", None
            referral = h.evaluate_plan(
                c.EvaluatePlan(
                    plan_id,
                    held,
                    decision,
                    next_evaluation_on=next_on,
                    referral_destination=r.choice(list(REFERRAL_DESTINATIONS))
                    if decision == "refer"
                    else None,
                ),
                uow(),
                actor,
            )
            if referral is not None and r.random() < 0.5:
                valid_from = held + days(30)
                h.record_admission_statement(
                    c.RecordAdmissionStatement(referral.id, valid_from, valid_from + days(730)),
                    uow(),
                    actor,
                )
            if next_on is None:
                return
            with uow() as unit:  # the plan's earliest pending evaluation is held next
                case = unit.cases.by_plan(plan_id)
                assert case is not None
                due = case.plan(plan_id).scheduled_evaluations()[0].due_on
            active = held

    def maybe_reschedule(self, plan_id: UUID, end: date, actor: Principal) -> None:
        if self.rng.random() >= 0.5:
            return
        with self.container.uow() as unit:
            case = unit.cases.by_plan(plan_id)
            assert case is not None
            pending = [(e.id, e.due_on) for e in case.plan(plan_id).scheduled_evaluations()]
        if pending and (moved := max(TODAY, pending[0][1]) + days(14)) <= end:
            if all(due != moved for _, due in pending):
                h.reschedule_evaluation(
                    c.RescheduleEvaluation(plan_id, pending[0][0], moved),
                    self.container.uow(),
                    actor,
                )


def generate_history(container: Container, world: World, pupils_per_school: int, seed: int) -> None:
    """Tell `pupils_per_school` pupils' stories at schools A1, A2 and B1, then run the beat."""
    with container.uow() as uow:
        coordinators = {
            key: h.principal_of(uow.repo.user(world.users[key]), uow)  # type: ignore[arg-type]
            for key in ("coordinator_a1", "coordinator_a2", "coordinator_b1")
        }
    teller = Storyteller(container, random.Random(seed))
    schools = (
        (world.school_a1, "coordinator_a1"),
        (world.school_a2, "coordinator_a2"),
        (world.school_b1, "coordinator_b1"),
    )
    half = pupils_per_school // 2
    for n in range(pupils_per_school):
        if n == half:
            join_schools(container, world)
        for school_id, coordinator in schools:
            teller.pupil(school_id, coordinators[coordinator], n)
    emit_scheduled_notices(container.uow())


def join_schools(container: Container, world: World) -> tuple[UUID, UUID]:
    """Two schools join halfway through the history (their `school.registered` comes after other
    schools' events): A3 in partnership A without a BRIN code, B2 in partnership B with one."""
    with container.uow() as uow:
        admins = {
            key: h.principal_of(uow.repo.user(world.users[key]), uow)  # type: ignore[arg-type]
            for key in ("admin_a", "admin_b")
        }
    a3 = h.create_school(
        c.CreateSchool(world.partnership_a, "School A3", "midden"),
        container.uow(),
        admins["admin_a"],
    )
    b2 = h.create_school(
        c.CreateSchool(world.partnership_b, "School B2", "zuid", brin="07XY"),
        container.uow(),
        admins["admin_b"],
    )
    return a3, b2
