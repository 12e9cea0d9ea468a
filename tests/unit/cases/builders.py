"""Small builders for domain objects at fixed dates, shared by the unit tests of the cases service.

The story they tell: a pupil enrolled in August 2024; on 1 June 2026 a case opens; a development
plan is drafted on 1 September 2026, discussed with the parents and the pupil, and agreed on
10 September 2026. "Today" is 15 October 2026 (tests.unit.cases.fakes.NOW in Amsterdam).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid4

from services.cases.domain.evaluation import PlanEvaluation
from services.cases.domain.events import Event
from services.cases.domain.model import Case
from services.cases.domain.plan import DevelopmentPlan, Scenario
from services.cases.domain.school import (
    Guardian,
    PartnershipSettings,
    Pupil,
    School,
    SupportProfile,
)

TODAY = date(2026, 10, 15)
ENROLLED_ON = date(2024, 8, 20)
OPENED_ON = date(2026, 6, 1)
PLAN_CREATED_ON = date(2026, 9, 1)
AGREED_END_DATE = date(2027, 7, 15)
CONSULTED_ON = date(2026, 9, 3)
HEARD_ON = date(2026, 9, 4)
REQUESTED_ON = date(2026, 9, 5)
AGREED_ON = date(2026, 9, 10)

# Free text that must never travel in an event (DESIGN.md §3).
GOAL = "Emma leest aan het eind van de periode vloeiend op AVI-niveau E4"
NOTE = "Moeder gaf aan dat Emma thuis veel huilt; vertrouwelijk"

CODE = re.compile(r"^[a-z][a-z0-9_]*$")


def settings(**overrides: Any) -> PartnershipSettings:
    """The partnership's settings: the defaults, with overrides."""
    return PartnershipSettings(**overrides)


def pupil(
    *,
    enrolled_on: date = ENROLLED_ON,
    partnership_id: UUID | None = None,
    school_id: UUID | None = None,
) -> Pupil:
    """A pupil with one guardian (built directly: no pupil.enrolled event)."""
    return Pupil(
        partnership_id=partnership_id or uuid4(),
        school_id=school_id or uuid4(),
        given_name="Emma",
        family_name="de Vries",
        date_of_birth=date(2017, 5, 1),
        group="groep 4",
        enrolled_on=enrolled_on,
        guardians=[Guardian(name="Anne de Vries", email="anne@example.nl", phone=None)],
    )


def open_case(
    *,
    opened_on: date = OPENED_ON,
    enrolled_on: date = ENROLLED_ON,
    needs_extra_support: bool = False,
    config: PartnershipSettings | None = None,
    today: date = TODAY,
    partnership_id: UUID | None = None,
    school_id: UUID | None = None,
) -> Case:
    """A freshly opened case of a new pupil; its case.opened event is still recorded on it."""
    return Case.open(
        pupil=pupil(enrolled_on=enrolled_on, partnership_id=partnership_id, school_id=school_id),
        opened_on=opened_on,
        needs_extra_support=needs_extra_support,
        settings=config or settings(),
        today=today,
    )


def profile_for(
    case: Case,
    *,
    basic: list[str] | None = None,
    extra: list[str] | None = None,
    version: int = 1,
    valid_from: date = date(2025, 8, 1),
) -> SupportProfile:
    """A support profile of the case's school (built directly: no event)."""
    return SupportProfile(
        partnership_id=case.partnership_id,
        school_id=case.school_id,
        version=version,
        basic_domains=basic if basic is not None else ["reading_dyslexia", "math_dyscalculia"],
        extra_domains=extra if extra is not None else ["reading_dyslexia_combined"],
        valid_from=valid_from,
        review_by=date(2029, 7, 31),
        published_on=valid_from,
    )


def school(partnership_id: UUID | None = None) -> School:
    """A school of a partnership."""
    return School(partnership_id=partnership_id or uuid4(), name="OBS De Regenboog", region="noord")


def scenarios(*review_dates: date) -> list[Scenario]:
    """One scenario per review date, each with a free-text expected effect."""
    return [
        Scenario(f"Verwacht effect {i}: Emma leest zelfstandig", day)
        for i, day in enumerate(review_dates)
    ]


def draft_plan(
    case: Case,
    *,
    created_on: date = PLAN_CREATED_ON,
    agreed_end_date: date = AGREED_END_DATE,
    review_dates: tuple[date, ...] = (date(2026, 12, 1), date(2027, 3, 1)),
    evaluation_dates: tuple[date, ...] = (date(2026, 10, 1), date(2027, 2, 1)),
) -> DevelopmentPlan:
    """A draft development plan with two scenarios and evaluation dates."""
    return case.create_plan(
        exit_destination="regular_primary",
        hindering_factors=["Trage woordherkenning"],
        supporting_factors=["Gemotiveerd, steun thuis"],
        action_plan="Dagelijks 20 minuten begeleid lezen met de RT'er",
        deviations=None,
        scenarios=scenarios(*review_dates),
        agreed_end_date=agreed_end_date,
        evaluation_dates=list(evaluation_dates),
        created_on=created_on,
    )


def ready_plan(case: Case, **plan_args: Any) -> DevelopmentPlan:
    """A draft plan with the consultation (OOGO) and the pupil's view recorded."""
    plan = draft_plan(case, **plan_args)
    case.record_consultation(
        plan.id, held_on=CONSULTED_ON, participants=["ouders", "ib"], today=TODAY
    )
    case.record_pupil_view(plan.id, heard_on=HEARD_ON, summary="Emma wil graag", today=TODAY)
    return plan


def active_plan(case: Case, **plan_args: Any) -> DevelopmentPlan:
    """A plan the parents agreed to on AGREED_ON."""
    plan = ready_plan(case, **plan_args)
    case.request_consent(plan.id, requested_on=REQUESTED_ON)
    case.record_consent(
        plan.id, decision="agreed", recorded_on=AGREED_ON, guardian_ids=[], today=TODAY
    )
    return plan


def drifted(plan: DevelopmentPlan, *due_dates: date) -> DevelopmentPlan:
    """The plan as stored after drifting out of rule 6: its scheduled evaluations now fall on
    `due_dates` (none: nothing planned). The rule refuses such dates on every change, so a plan
    only gets here by time passing; the builder sets them directly."""
    plan.evaluations = [e for e in plan.evaluations if e.status != "scheduled"]
    for day in due_dates:
        plan.evaluations.append(PlanEvaluation(plan_id=plan.id, due_on=day))
    return plan


def types(recorded: list[Event]) -> list[str]:
    """The type strings of events, in order."""
    return [event.type for event in recorded]


def drain(case: Case) -> list[Event]:
    """Take the events recorded on a case so far (as the unit of work would)."""
    taken, case.events = case.events, []
    return taken


def non_code_values(event: Event) -> dict[str, object]:
    """Payload values that are not a UUID, a date, an int, None or a lowercase code."""
    bad = {}
    for name, value in event.payload().items():
        ok = (
            value is None
            or isinstance(value, UUID)
            or (isinstance(value, date) and not isinstance(value, datetime))
            or (isinstance(value, int) and not isinstance(value, bool))
            or (isinstance(value, str) and CODE.fullmatch(value) is not None)
        )
        if not ok:
            bad[name] = value
    return bad
