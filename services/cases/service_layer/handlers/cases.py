"""Use cases on a support case and its interventions: opening, closing, starting and
evaluating interventions."""

from __future__ import annotations

from uuid import UUID

from services.cases.domain import commands
from services.cases.domain.model import Case
from services.cases.domain.school import current_profile
from services.cases.service_layer.handlers.access import _carries_out, _settings, _writable_case
from services.cases.service_layer.unit_of_work import AbstractUnitOfWork
from shared.auth import Principal
from shared.clock import local_today
from shared.errors import Forbidden, NotFound, StateConflict


def open_case(cmd: commands.OpenCase, uow: AbstractUnitOfWork, actor: Principal) -> UUID:
    """Open a support case for a pupil who has none open."""
    with uow:
        pupil = uow.repo.pupil(cmd.pupil_id)
        if pupil is None or not actor.sees_pupil(pupil.partnership_id, pupil.school_id, pupil.id):
            raise NotFound("No such pupil.")
        if not actor.writes_pupil(pupil.partnership_id, pupil.school_id):
            raise Forbidden("Only the school's coordinator may open a case.")
        if uow.cases.open_case_of(pupil.id) is not None:
            raise StateConflict("The pupil already has an open case.", code="case_exists")
        case = Case.open(
            pupil=pupil,
            opened_on=cmd.opened_on,
            needs_extra_support=cmd.needs_extra_support,
            settings=_settings(uow, pupil.partnership_id),
            today=local_today(uow.clock),
        )
        uow.cases.add(case)
        uow.commit()
        return case.id


def close_case(cmd: commands.CloseCase, uow: AbstractUnitOfWork, actor: Principal) -> None:
    """Close a case (and its open plan)."""
    with uow:
        case = _writable_case(uow, uow.cases.get(cmd.case_id, for_update=True), actor)
        case.close(cmd.closed_on, cmd.reason, today=local_today(uow.clock), now=uow.clock.now())
        uow.commit()


def start_intervention(
    cmd: commands.StartIntervention, uow: AbstractUnitOfWork, actor: Principal
) -> UUID:
    """Start a basic or (under an active plan) extra intervention."""
    with uow:
        case = _writable_case(uow, uow.cases.to_add_intervention(cmd.case_id), actor)
        partnership, profiles = uow.repo.partnership_and_profiles(
            case.partnership_id, case.school_id
        )
        assert partnership is not None, "every school belongs to a partnership"
        item = case.start_intervention(
            domain=cmd.domain,
            goal=cmd.goal,
            starts_on=cmd.starts_on,
            evaluate_by=cmd.evaluate_by,
            settings=partnership.settings,
            profile=current_profile(profiles, cmd.starts_on),
        )
        uow.commit()
        return item.id


def evaluate_intervention(
    cmd: commands.EvaluateIntervention, uow: AbstractUnitOfWork, actor: Principal
) -> UUID:
    """Record the effect of an intervention; returns its case id."""
    with uow:
        case = uow.cases.by_intervention(cmd.intervention_id)
        if not _carries_out(uow, case, cmd.intervention_id, actor):
            case = _writable_case(uow, case, actor)
        assert case is not None
        case.evaluate_intervention(
            cmd.intervention_id,
            outcome=cmd.outcome,
            note=cmd.note,
            evaluated_on=cmd.evaluated_on,
            today=local_today(uow.clock),
            evaluated_by=actor.user_id,
        )
        uow.commit()
        return case.id
