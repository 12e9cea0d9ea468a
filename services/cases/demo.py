"""Demo data: a partnership in Haarlemmermeer with two schools, their staff, pupils and cases at
different stages, so every screen and reminder has something to show. Loaded once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from services.cases.adapters.outbox import acting_as
from services.cases.adapters.unit_of_work import SqlAlchemyUnitOfWork
from services.cases.bootstrap import Container
from services.cases.domain import commands as c
from services.cases.domain.school import User
from services.cases.service_layer import handlers as h
from shared.auth import Principal
from shared.clock import local_today, school_year_of

DEMO_PASSWORD = "demo-wachtwoord-2026"
ADMIN_EMAIL = "beheer@swv-haarlemmermeer.demo"


def _principal(container: Container, user_id: UUID) -> Principal:
    with container.uow() as uow:
        user = uow.repo.user(user_id)
        assert isinstance(user, User)
        return h.principal_of(user, uow)


@dataclass(frozen=True)
class _Step:
    """What every step of the demo needs: the container, today, and who acts."""

    container: Container
    today: date
    actor: Principal

    def uow(self) -> SqlAlchemyUnitOfWork:
        return self.container.uow()


@dataclass(frozen=True)
class _Staff:
    coordinator: UUID
    teacher: UUID
    consultant: UUID


def load_demo(container: Container) -> str:
    """Create the demo world unless it exists; returns what was done."""
    with container.uow() as uow:
        if uow.repo.user_by_email(ADMIN_EMAIL):
            return "demo data already present"
    today = local_today(container.clock)
    pid, admin_principal = _partnership(container)
    admin = _Step(container, today, admin_principal)
    schools = _schools(admin, pid)
    regenboog = schools["OBS De Regenboog"]
    staff = _staff(admin, regenboog, schools["CBS Het Kompas"])
    coordinator = _Step(container, today, _principal(container, staff.coordinator))
    # The coordinator's steps name her on the case timelines ("door Fatima el Amrani (IB)").
    with acting_as(staff.coordinator, "coordinator"):
        _support_profile(coordinator, regenboog)
        pupils = _pupils(coordinator, regenboog, staff)
        _daan(coordinator, pupils[0])
        _noor(coordinator, pupils[1])
        _sem(coordinator, pupils[2])
    return (
        f"demo data loaded: log in as {ADMIN_EMAIL}, ib@regenboog.demo, "
        "leerkracht@regenboog.demo, directie@regenboog.demo or "
        f"consulent@swv-haarlemmermeer.demo with password '{DEMO_PASSWORD}'"
    )


def _partnership(container: Container) -> tuple[UUID, Principal]:
    """The partnership and its administrator, who creates the schools and the staff."""
    pid = h.create_partnership(
        c.CreatePartnership(
            name="SWV Passend Onderwijs Haarlemmermeer",
            admin_email=ADMIN_EMAIL,
            admin_name="Beheer SWV",
            admin_password=DEMO_PASSWORD,
        ),
        container.uow(),
    )
    with container.uow() as uow:
        admin_user = uow.repo.user_by_email(ADMIN_EMAIL)
        assert admin_user is not None
        return pid, h.principal_of(admin_user, uow)


def _schools(step: _Step, partnership: UUID) -> dict[str, UUID]:
    schools = {}
    for name, brin in (("OBS De Regenboog", "12AB"), ("CBS Het Kompas", "34CD")):
        schools[name] = h.create_school(
            c.CreateSchool(partnership, name, "noord", brin), step.uow(), step.actor
        )
    return schools


def _staff(step: _Step, regenboog: UUID, kompas: UUID) -> _Staff:
    def user(role: str, email: str, name: str, school: UUID | None) -> UUID:
        return h.create_user(
            c.CreateUser(
                role=role, email=email, name=name, password=DEMO_PASSWORD, school_id=school
            ),
            step.uow(),
            step.actor,
        )

    ib = user("coordinator", "ib@regenboog.demo", "Fatima el Amrani (IB)", regenboog)
    teacher = user("teacher", "leerkracht@regenboog.demo", "Joost de Vries", regenboog)
    consultant = user("consultant", "consulent@swv-haarlemmermeer.demo", "Sanne Bakker", None)
    user("director", "directie@regenboog.demo", "Peter Jansen", regenboog)
    user("coordinator", "ib@kompas.demo", "Anouk Visser (IB)", kompas)
    return _Staff(coordinator=ib, teacher=teacher, consultant=consultant)


def _support_profile(step: _Step, school: UUID) -> None:
    h.publish_support_profile(
        c.PublishSupportProfile(
            school_id=school,
            basic_domains=[
                "reading_dyslexia",
                "math_dyscalculia",
                "social_safety_behaviour",
                "basic_diagnostics",
                "medical_protocol",
            ],
            extra_domains=[
                "reading_dyslexia_combined",
                "work_attitude_behaviour",
                "cognition_own_learning_line",
            ],
            valid_from=step.today - timedelta(days=400),
            review_by=step.today + timedelta(days=60),
        ),
        step.uow(),
        step.actor,
    )


PUPILS = (
    ("Daan", "Mulder", date(2017, 3, 14), "groep 4", "1001", "Eva Mulder", "nl"),
    ("Noor", "Yilmaz", date(2016, 9, 2), "groep 5", "1002", "Ayse Yilmaz", "nl"),
    ("Sem", "de Jong", date(2015, 6, 21), "groep 6", "1003", "Mark de Jong", "nl"),
    ("Liam", "Smith", date(2016, 1, 30), "groep 5", "1004", "Emma Smith", "en"),
)


def _pupils(step: _Step, school: UUID, staff: _Staff) -> list[UUID]:
    """The four pupils of De Regenboog, each with one parent and the same three staff."""
    team = [
        {"user_id": staff.teacher, "role": "teacher"},
        {"user_id": staff.coordinator, "role": "coordinator"},
        {"user_id": staff.consultant, "role": "consultant"},
    ]
    ids = []
    for given, family, born, group, number, parent, lang in PUPILS:
        ids.append(
            h.register_pupil(
                c.RegisterPupil(
                    school_id=school,
                    given_name=given,
                    family_name=family,
                    date_of_birth=born,
                    group=group,
                    enrolled_on=date(born.year + 4, 8, 20),
                    pupil_number=number,
                    guardians=[
                        {
                            "name": parent,
                            "email": f"{number}@ouders.demo",
                            "phone": "+31 6 1234 5678",
                            "language": lang,
                        }
                    ],
                    staff=team,
                ),
                step.uow(),
                step.actor,
            )
        )
    return ids


def _daan(step: _Step, pupil: UUID) -> None:
    """Daan: a reading intervention whose evaluation is due in ten days."""
    today = step.today
    case = h.open_case(c.OpenCase(pupil, today - timedelta(days=40)), step.uow(), step.actor)
    h.start_intervention(
        c.StartIntervention(
            case,
            "reading_dyslexia",
            "Leest een AVI-E4 tekst vlot en foutloos.",
            today - timedelta(days=40),
            today + timedelta(days=10),
        ),
        step.uow(),
        step.actor,
    )


def _noor(step: _Step, pupil: UUID) -> None:
    """Noor: basic support did not work; an active development plan with an evaluation ahead."""
    today = step.today
    case = h.open_case(c.OpenCase(pupil, today - timedelta(days=150)), step.uow(), step.actor)
    item = h.start_intervention(
        c.StartIntervention(
            case,
            "social_safety_behaviour",
            "Werkt 15 minuten zelfstandig aan een taak.",
            today - timedelta(days=150),
            today - timedelta(days=90),
        ),
        step.uow(),
        step.actor,
    )
    h.evaluate_intervention(
        c.EvaluateIntervention(
            item,
            "not_effective",
            today - timedelta(days=88),
            "Onvoldoende effect; extra ondersteuning nodig.",
        ),
        step.uow(),
        step.actor,
    )
    _noors_plan(step, pupil, case)


def _noors_plan(step: _Step, pupil: UUID, case: UUID) -> None:
    """Noor's development plan, agreed with her parents and in effect."""
    today = step.today
    # Rule 6: the plan's school year holds an evaluation. Early in a school year the plan is
    # drafted after 1 August (not in the last one); late in July its first evaluation is then.
    year = school_year_of(today)

    def ago(days: int) -> date:
        return max(today - timedelta(days=days), year.start)

    plan = h.create_development_plan(
        c.CreateDevelopmentPlan(
            case_id=case,
            exit_destination="vmbo_kb",
            hindering_factors=["Concentratieproblemen", "Faalangst"],
            supporting_factors=["Gemotiveerd", "Betrokken ouders"],
            action_plan="Dagelijkse planning met de leerkracht; twee keer per week begeleiding "
            "in een kleine groep.",
            scenarios=[
                {
                    "expected_effect": "Werkt 20 minuten zelfstandig.",
                    "review_by": today + timedelta(days=60),
                },
                {
                    "expected_effect": "Haalt de tussendoelen rekenen van groep 5.",
                    "review_by": today + timedelta(days=200),
                },
            ],
            agreed_end_date=today + timedelta(days=300),
            evaluation_dates=[
                min(today + timedelta(days=12), year.end),
                today + timedelta(150),
            ],
            created_on=ago(80),
        ),
        step.uow(),
        step.actor,
    )
    h.record_consultation(
        c.RecordConsultation(plan, ago(75), ["ouders", "IB'er", "leerkracht"]),
        step.uow(),
        step.actor,
    )
    h.record_pupil_view(c.RecordPupilView(plan, ago(74)), step.uow(), step.actor)
    # The parents agreed weeks ago, on paper: recorded without a consent request, since a
    # request recorded now would be an event of today and ask them again for a plan already
    # in effect.
    with step.uow() as uow:
        found = uow.repo.pupil(pupil)
        assert found is not None
        guardian = found.guardians[0].id
    h.record_consent(
        c.RecordConsent(plan, "agreed", ago(70), [guardian]),
        step.uow(),
        step.actor,
    )


def _sem(step: _Step, pupil: UUID) -> None:
    """Sem: a case just opened for a pupil who needs extra support: the plan is due soon."""
    h.open_case(
        c.OpenCase(pupil, step.today - timedelta(days=3), needs_extra_support=True),
        step.uow(),
        step.actor,
    )
