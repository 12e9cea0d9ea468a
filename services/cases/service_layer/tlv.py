"""Use cases of the TLV application (issue 14): the school assembles, the director signs off,
the parents give their view and agree, the coordinator submits, the partnership's consultants
advise and decide. Who may do what:

- the school's coordinator: create and change the draft, record the parents' view or their
  answer from paper, submit;
- the school's director: read, sign off;
- a guardian of the pupil: read, write the parents' view, agree or decline online;
- the partnership's consultants: read a submitted application (with only the documents the
  parents shared), record the advices and the decision; its administrators read;
- teachers: nothing (404).

Out of sight answers 404, in sight but not one's part 403. A change may name the version it was
made on (If-Match); a stale one is a 412 and writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from services.cases.domain import tlv
from services.cases.domain.model import Case
from services.cases.domain.referral import Referral
from services.cases.domain.school import Guardian
from services.cases.domain.tlv import Advice, ApplicationStatus, Grant, ParentsAnswer
from services.cases.service_layer.handlers.plans import consent_needed
from services.cases.service_layer.tlv_view import view
from services.cases.service_layer.unit_of_work import AbstractUnitOfWork, ApplicationFilter
from shared.auth import PARTNERSHIP_ROLES, Principal, Role
from shared.clock import local_today
from shared.errors import EditedElsewhere, Forbidden, NotFound, Problems, StateConflict

NOT_FOUND = "No such TLV application."


# -- commands ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    """Create (POST) or change (PATCH) the school's draft; None leaves a part as it is."""

    referral_id: UUID
    document_ids: list[UUID] | None = None
    motivation: str | None = None
    expected_version: int | None = None


@dataclass(frozen=True)
class Step:
    """Any other step on an application: its referral, the body's fields, the If-Match."""

    referral_id: UUID
    data: dict[str, Any] = field(default_factory=dict)
    expected_version: int | None = None


# -- access ----------------------------------------------------------------------------------


def may_read(actor: Principal, app: tlv.TlvApplication) -> bool:
    """The pupil's guardians, the school's coordinator and director; the partnership's staff
    once it is submitted. Never a teacher."""
    if actor.role is Role.GUARDIAN:
        return actor.sees_pupil(app.partnership_id, app.school_id, app.pupil_id)
    if actor.role in (Role.COORDINATOR, Role.DIRECTOR):
        return actor.sees_school(app.partnership_id, app.school_id)
    if actor.role in PARTNERSHIP_ROLES:
        return actor.partnership_id == app.partnership_id and app.status != ApplicationStatus.DRAFT
    return False


def _load(uow: AbstractUnitOfWork, step: Step | Draft, actor: Principal) -> tlv.TlvApplication:
    """The application, locked, if the actor may see it and it is at the expected version."""
    app = uow.applications.by_referral(step.referral_id, for_update=True)
    if app is None or not may_read(actor, app):
        raise NotFound(NOT_FOUND)
    if step.expected_version is not None and app.version != step.expected_version:
        raise EditedElsewhere(
            "Someone else changed this application since you loaded it; load it again."
        )
    return app


def _require(ok: bool, message: str) -> None:
    if not ok:
        raise Forbidden(message)


def _school_writer(actor: Principal, app: tlv.TlvApplication) -> None:
    _require(
        actor.writes_pupil(app.partnership_id, app.school_id),
        "Only the school's coordinator changes the application.",
    )


def _consultant(actor: Principal, app: tlv.TlvApplication) -> None:
    _require(
        actor.role is Role.CONSULTANT and actor.partnership_id == app.partnership_id,
        "Only the partnership's consultants advise and decide.",
    )


# -- the school's part -------------------------------------------------------------------------


def create_application(cmd: Draft, uow: AbstractUnitOfWork, actor: Principal) -> UUID:
    """The coordinator starts the application of a referral from its case; one per referral."""
    with uow:
        case = uow.cases.by_referral(cmd.referral_id)
        if case is None or not actor.sees_pupil(case.partnership_id, case.school_id, case.pupil_id):
            raise NotFound("No such referral.")
        if actor.role is Role.TEACHER:
            raise NotFound("No such referral.")
        _require(
            actor.writes_pupil(case.partnership_id, case.school_id),
            "Only the school's coordinator starts a TLV application.",
        )
        if case.status == "closed":
            raise StateConflict("The case is closed.", code="case_closed")
        if uow.applications.by_referral(cmd.referral_id, for_update=True) is not None:
            raise StateConflict(
                "This referral already has an application.", code="application_exists"
            )
        referral = _referral(case, cmd.referral_id)
        app = tlv.TlvApplication(
            referral_id=referral.id,
            case_id=case.id,
            partnership_id=case.partnership_id,
            school_id=case.school_id,
            pupil_id=case.pupil_id,
            plan_id=referral.plan_id,
            created_on=local_today(uow.clock),
            created_by=actor.user_id,
        )
        app.assemble(
            document_ids=cmd.document_ids or [],
            motivation=cmd.motivation,
            case_documents={d.id for d in uow.documents.of_case(case.id)},
        )
        uow.applications.add(app)
        uow.commit()
        return app.id


def _referral(case: Case, referral_id: UUID) -> Referral:
    return next(r for r in case.referrals if r.id == referral_id)


def change_draft(cmd: Draft, uow: AbstractUnitOfWork, actor: Principal) -> None:
    """The coordinator changes the chosen documents or the motivation (sign-off again)."""
    with uow:
        app = _load(uow, cmd, actor)
        _school_writer(actor, app)
        app.assemble(
            document_ids=cmd.document_ids,
            motivation=cmd.motivation,
            case_documents={d.id for d in uow.documents.of_case(app.case_id)},
        )
        uow.commit()


def record_parents_view(cmd: Step, uow: AbstractUnitOfWork, actor: Principal) -> None:
    """The parents' view: a guardian writes it online, or the coordinator records it."""
    with uow:
        app = _load(uow, cmd, actor)
        guardian_id = None
        if actor.role is Role.GUARDIAN:
            guardian_id = UUID(_my_records(uow, app, actor)[0])
        else:
            _school_writer(actor, app)
        app.record_parents_view(
            cmd.data["text"], at=uow.clock.now(), by=actor.user_id, guardian_id=guardian_id
        )
        uow.commit()


def sign_off(cmd: Step, uow: AbstractUnitOfWork, actor: Principal) -> None:
    """The school's director signs the application off."""
    with uow:
        app = _load(uow, cmd, actor)
        _require(
            actor.role is Role.DIRECTOR and actor.sees_school(app.partnership_id, app.school_id),
            "Only the school's director signs the application off.",
        )
        today = local_today(uow.clock)
        app.sign_off(director_id=actor.user_id, on=cmd.data.get("signed_on") or today, today=today)
        uow.commit()


def record_parents_agreement(cmd: Step, uow: AbstractUnitOfWork, actor: Principal) -> None:
    """The parents agree or decline: a guardian online (as themselves, today), or the
    coordinator from paper (naming the guardians and the date)."""
    with uow:
        app = _load(uow, cmd, actor)
        today = local_today(uow.clock)
        pupil = uow.repo.pupil(app.pupil_id)
        if pupil is None:
            raise NotFound(NOT_FOUND)
        if actor.role is Role.GUARDIAN:
            answer = ParentsAnswer(
                decision=cmd.data["decision"],
                channel="online",
                guardian_ids=_my_records(uow, app, actor),
                recorded_on=today,
                recorded_by=actor.user_id,
                recorded_at=uow.clock.now(),
            )
        else:
            _school_writer(actor, app)
            answer = _paper_answer(cmd.data, pupil.guardians, actor, today)
        case = uow.cases.get(app.case_id)
        assert case is not None
        app.record_parents_answer(answer, today=today, needed=consent_needed(uow, case, pupil))
        uow.commit()


def _paper_answer(
    data: dict[str, Any], guardians: list[Guardian], actor: Principal, today: date
) -> ParentsAnswer:
    known = {str(g.id) for g in guardians}
    named = [str(g) for g in data.get("guardian_ids") or []]
    problems = Problems()
    problems.check(bool(named), "guardian_ids", "Name the guardian(s) who answered.")
    problems.check(set(named) <= known, "guardian_ids", "Not a guardian of this pupil.")
    problems.raise_if_any("The parents' answer is not valid.")
    return ParentsAnswer(
        decision=data["decision"],
        channel="paper",
        guardian_ids=named,
        recorded_on=data.get("recorded_on") or today,
        recorded_by=actor.user_id,
    )


def _my_records(uow: AbstractUnitOfWork, app: tlv.TlvApplication, actor: Principal) -> list[str]:
    """The signed-in guardian's records of the pupil (one per guardian entry)."""
    pupil = uow.repo.pupil(app.pupil_id)
    mine = [str(g.id) for g in pupil.guardians if g.user_id == actor.user_id] if pupil else []
    if not mine:
        raise NotFound(NOT_FOUND)
    return mine


def submit(cmd: Step, uow: AbstractUnitOfWork, actor: Principal) -> None:
    """The coordinator sends the application to the partnership (`referral.submitted`)."""
    with uow:
        app = _load(uow, cmd, actor)
        _school_writer(actor, app)
        partnership = uow.repo.partnership(app.partnership_id)
        assert partnership is not None
        today = local_today(uow.clock)
        app.submit(
            on=cmd.data.get("submitted_on") or today,
            by=actor.user_id,
            today=today,
            decision_weeks=partnership.settings.tlv_decision_weeks,
        )
        uow.commit()


# -- the partnership's part ----------------------------------------------------------------------


def record_advice(cmd: Step, uow: AbstractUnitOfWork, actor: Principal) -> UUID:
    """A consultant records an expert advice (`referral.advice_recorded`)."""
    with uow:
        app = _load(uow, cmd, actor)
        _consultant(actor, app)
        today = local_today(uow.clock)
        advice = Advice(
            adviser_role=cmd.data["adviser_role"],
            adviser_name=cmd.data["adviser_name"],
            conclusion=cmd.data["conclusion"],
            recorded_on=cmd.data.get("recorded_on") or today,
            recorded_by=actor.user_id,
        )
        app.record_advice(advice, today=today)
        uow.commit()
        return advice.id


def decide(cmd: Step, uow: AbstractUnitOfWork, actor: Principal) -> None:
    """A consultant records the partnership's decision (`referral.decided`); a grant records
    the admission statement on the referral too (`referral.admission_statement_recorded`)."""
    with uow:
        app = _load(uow, cmd, actor)
        _consultant(actor, app)
        today = local_today(uow.clock)
        data = cmd.data
        grant = Grant(
            school_type=data.get("school_type"),
            category=data.get("category"),
            valid_from=data.get("valid_from"),
            valid_until=data.get("valid_until"),
        )
        decided_on = data.get("decided_on") or today
        app.decide(data["decision"], grant, decided_on=decided_on, by=actor.user_id, today=today)
        if app.decision == "granted":
            case = uow.cases.by_referral(app.referral_id)
            assert case is not None and grant.valid_from and grant.valid_until
            case.record_admission_statement(
                app.referral_id, valid_from=grant.valid_from, valid_until=grant.valid_until
            )
        uow.commit()


# -- reading -------------------------------------------------------------------------------------


def get_application(uow: AbstractUnitOfWork, actor: Principal, referral_id: UUID) -> dict[str, Any]:
    """The application as the API shows it to this caller (their documents only)."""
    with uow:
        app = uow.applications.by_referral(referral_id)
        if app is None or not may_read(actor, app):
            raise NotFound(NOT_FOUND)
        return view(uow, actor, app)


def application_state(uow: AbstractUnitOfWork, referral_id: UUID) -> dict[str, Any]:
    """Where an application stands, ids, codes and dates only (for a service's re-check at send
    time: a reminder of `decide_by` says nothing once it is decided)."""
    with uow:
        app = uow.applications.by_referral(referral_id)
        if app is None:
            raise NotFound(NOT_FOUND)
        return {
            name: getattr(app, name)
            for name in (
                "referral_id", "case_id", "status", "submitted_on", "parents_agreed",
                "decide_by", "decision", "decided_on",
            )
        }  # fmt: skip


def list_applications(
    uow: AbstractUnitOfWork,
    actor: Principal,
    *,
    status: str | None,
    school_id: UUID | None,
    page: int,
    page_size: int,
) -> tuple[list[dict[str, Any]], int]:
    """The applications a caller works on: a consultant's (or administrator's) partnership's,
    submitted or further; a coordinator's or director's school's, drafts included."""
    where = _list_filter(actor, status, school_id)
    with uow:
        rows, total = uow.applications.page(where, (page - 1) * page_size, page_size)
        # The page's pupils, schools, directors and documents at once, not per application.
        uow.repo.preload(
            pupils={a.pupil_id for a in rows},
            schools={a.school_id for a in rows},
            users={a.signed_off_by for a in rows if a.signed_off_by},
        )
        docs = uow.documents.of_cases({a.case_id for a in rows})
        return [view(uow, actor, a, brief=True, docs=docs[a.case_id]) for a in rows], total


def _list_filter(actor: Principal, status: str | None, school_id: UUID | None) -> ApplicationFilter:
    if actor.partnership_id is None or actor.role not in (
        Role.CONSULTANT,
        Role.ADMIN,
        Role.COORDINATOR,
        Role.DIRECTOR,
    ):
        raise Forbidden("TLV applications are listed for the school's and partnership's staff.")
    statuses = frozenset([status]) if status else None
    if actor.role in PARTNERSHIP_ROLES:
        if statuses is None:
            statuses = frozenset(s.value for s in ApplicationStatus) - {"draft"}
        statuses -= {"draft"}
        schools = frozenset([school_id]) if school_id else None
    else:
        schools = actor.school_ids & ({school_id} if school_id else actor.school_ids)
    return ApplicationFilter(actor.partnership_id, schools, statuses)
