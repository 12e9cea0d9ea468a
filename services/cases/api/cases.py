"""Cases, their interventions, the timeline, and the list of evaluations due."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask.views import MethodView
from flask_smorest import Blueprint

from services.cases.adapters import queries
from services.cases.adapters.unit_of_work import SqlAlchemyUnitOfWork
from services.cases.api.audit_hooks import audited_uow
from services.cases.api.case_schemas import (
    CaseloadArgsSchema,
    CaseloadPageSchema,
    CasePageSchema,
    CaseQueryArgsSchema,
    CaseSchema,
    CloseCaseSchema,
    DuePageSchema,
    DueQueryArgsSchema,
    EvaluateInterventionSchema,
    InterventionSchema,
    OpenCaseSchema,
    StartInterventionSchema,
    TimelineEntrySchema,
)
from services.cases.api.common import actor, read_session, remember_version, today, uow
from services.cases.domain import commands
from services.cases.domain.intervention import Intervention
from services.cases.domain.model import Case
from services.cases.service_layer import handlers
from shared.web import LOCATION, created

blp = Blueprint(
    "cases",
    __name__,
    url_prefix="/api/v1",
    description="Support cases (ondersteuningstrajecten) and interventions.",
)


def _written(unit: SqlAlchemyUnitOfWork, case_id: UUID) -> Case:
    """The case as the write just committed it: loaded for update in the write's transaction
    and kept usable after the commit (expire_on_commit=False), so the answer needs no second
    read of it (issue 15). Its version, the ETag, is the one committed."""
    case = next(c for c in unit.cases.seen if c.id == case_id)
    remember_version(case.version)
    return case


def _case(case_id: UUID) -> Case:
    with read_session() as session:
        case = queries.get_case(session, actor(), case_id, today())
    remember_version(case.version)  # the ETag; writes honour If-Match (common.uow)
    return case


@blp.route("/cases")
class Cases(MethodView):
    @blp.arguments(CaseQueryArgsSchema, location="query")
    @blp.response(200, CasePageSchema)
    def get(self, args: dict[str, Any]) -> queries.Page:
        """List cases, filtered by school, pupil, level and status."""
        with read_session() as session:
            return queries.list_cases(session, actor(), args)

    @blp.arguments(OpenCaseSchema)
    @blp.response(201, CaseSchema, headers=LOCATION)
    def post(self, data: dict[str, Any]) -> Any:
        """Open a support case for a pupil."""
        case_id = handlers.open_case(commands.OpenCase(**data), uow(), actor())
        return created(_case(case_id), ".CaseView", case_id=case_id)


@blp.route("/cases/<uuid:case_id>")
class CaseView(MethodView):
    @blp.response(200, CaseSchema)
    def get(self, case_id: UUID) -> Case:
        """Show a case with its interventions, plans and referrals."""
        return _case(case_id)


@blp.route("/cases/<uuid:case_id>/close")
class CloseCase(MethodView):
    @blp.arguments(CloseCaseSchema)
    @blp.response(200, CaseSchema)
    def post(self, data: dict[str, Any], case_id: UUID) -> Case:
        """Close a case; an open plan closes with it."""
        handlers.close_case(commands.CloseCase(case_id=case_id, **data), uow(), actor())
        return _case(case_id)


@blp.route("/cases/<uuid:case_id>/timeline")
class Timeline(MethodView):
    @blp.response(200, TimelineEntrySchema(many=True))
    def get(self, case_id: UUID) -> list[dict[str, Any]]:
        """Every event that concerned the case, in order."""
        with read_session() as session:
            return queries.timeline(session, actor(), case_id)


@blp.route("/cases/<uuid:case_id>/interventions")
class Interventions(MethodView):
    @blp.arguments(StartInterventionSchema)
    @blp.response(201, InterventionSchema)
    def post(self, data: dict[str, Any], case_id: UUID) -> Intervention:
        """Start an intervention (basic, or extra under an active plan)."""
        unit = audited_uow(201)
        item_id = handlers.start_intervention(
            commands.StartIntervention(case_id=case_id, **data), unit, actor()
        )
        return _written(unit, case_id).intervention(item_id)


@blp.route("/interventions/<uuid:intervention_id>/evaluation")
class InterventionEvaluation(MethodView):
    @blp.arguments(EvaluateInterventionSchema)
    @blp.response(200, InterventionSchema)
    def post(self, data: dict[str, Any], intervention_id: UUID) -> Intervention:
        """Record the effect of an intervention."""
        unit = audited_uow(200)
        case_id = handlers.evaluate_intervention(
            commands.EvaluateIntervention(intervention_id=intervention_id, **data), unit, actor()
        )
        return _written(unit, case_id).intervention(intervention_id)


@blp.route("/caseload")
class Caseload(MethodView):
    @blp.arguments(CaseloadArgsSchema, location="query")
    @blp.response(200, CaseloadPageSchema)
    def get(self, args: dict[str, Any]) -> queries.Page:
        """The pupils in support (cases not closed) with next due date and flags, due first."""
        with read_session() as session:
            return queries.caseload(session, actor(), args, today())


@blp.route("/evaluations/due")
class DueEvaluations(MethodView):
    @blp.arguments(DueQueryArgsSchema, location="query")
    @blp.response(200, DuePageSchema)
    def get(self, args: dict[str, Any]) -> queries.Page:
        """Interventions and plan evaluations due before a date, overdue ones first."""
        with read_session() as session:
            return queries.due_evaluations(session, actor(), args, today())
