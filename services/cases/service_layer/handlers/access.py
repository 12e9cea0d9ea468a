"""Who may change what: the case a coordinator writes, the intervention a teacher carries
out, a school in sight, a partnership's settings."""

from __future__ import annotations

from uuid import UUID

from services.cases.domain.model import Case
from services.cases.domain.school import PartnershipSettings, School
from services.cases.service_layer.unit_of_work import AbstractUnitOfWork
from shared.auth import Principal, Role
from shared.errors import Forbidden, NotFound


def _writable_case(uow: AbstractUnitOfWork, case: Case | None, actor: Principal) -> Case:
    """The case if the actor may change it; 404 when out of sight, 403 when read-only."""
    if case is None or not actor.sees_pupil(case.partnership_id, case.school_id, case.pupil_id):
        raise NotFound("No such case.")
    if not actor.writes_pupil(case.partnership_id, case.school_id):
        raise Forbidden("Only the school's coordinator may change a case.")
    return case


def _carries_out(
    uow: AbstractUnitOfWork, case: Case | None, intervention_id: UUID, actor: Principal
) -> bool:
    """Whether the actor is a teacher who carries out this basic intervention: a teacher of the
    school assigned to the pupil. They record how it went; everything else stays the
    coordinator's."""
    if case is None or actor.role is not Role.TEACHER:
        return False
    if not actor.sees_school(case.partnership_id, case.school_id):
        return False
    if case.intervention(intervention_id).level != "basic":
        return False
    pupil = uow.repo.pupil(case.pupil_id)
    return pupil is not None and any(
        s.user_id == actor.user_id and s.role == Role.TEACHER.value for s in pupil.staff
    )


def _settings(uow: AbstractUnitOfWork, partnership_id: UUID) -> PartnershipSettings:
    partnership = uow.repo.partnership(partnership_id)
    assert partnership is not None, "every school belongs to a partnership"
    return partnership.settings


def _school_for(uow: AbstractUnitOfWork, school_id: UUID, actor: Principal) -> School:
    school = uow.repo.school(school_id)
    if school is None or not actor.sees_school(school.partnership_id, school.id):
        raise NotFound("No such school.")
    return school
