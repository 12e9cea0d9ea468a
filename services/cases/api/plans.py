"""Development plans (OPP): consultation, pupil's view, consent, evaluations and referrals."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Response, request
from flask.views import MethodView
from flask_smorest import Blueprint

from services.cases.adapters import queries
from services.cases.api import plan_document
from services.cases.api.case_schemas import CaseSchema
from services.cases.api.common import actor, read_session, remember_version, today, uow
from services.cases.api.plan_schemas import (
    ActionPlanSchema,
    AdmissionStatementSchema,
    ConsentInSchema,
    ConsentRequestSchema,
    ConsultationSchema,
    CreatePlanSchema,
    EvaluatePlanSchema,
    MeetingSchema,
    OnlineConsentSchema,
    ParentsViewInSchema,
    PlanEvaluationSchema,
    PlanSchema,
    PupilViewSchema,
    ScheduleEvaluationSchema,
)
from services.cases.domain import commands
from services.cases.domain.model import Case
from services.cases.domain.plan import DevelopmentPlan
from services.cases.service_layer import guardian_access, handlers
from shared.errors import NotFound
from shared.web import LOCATION, created

blp = Blueprint(
    "development_plans",
    __name__,
    url_prefix="/api/v1",
    description="Development plans (ontwikkelingsperspectiefplan, OPP).",
)


def _plan(plan_id: UUID) -> DevelopmentPlan:
    with read_session() as session:
        plan = queries.get_plan(session, actor(), plan_id, today())
    remember_version(plan.case_version)  # type: ignore[attr-defined]  # the ETag (If-Match)
    return plan


@blp.route("/cases/<uuid:case_id>/development-plans")
class Plans(MethodView):
    @blp.arguments(CreatePlanSchema)
    @blp.response(201, PlanSchema, headers=LOCATION)
    def post(self, data: dict[str, Any], case_id: UUID) -> Any:
        """Draft a development plan with its legal parts, scenarios and evaluation dates."""
        plan_id = handlers.create_development_plan(
            commands.CreateDevelopmentPlan(case_id=case_id, **data), uow(), actor()
        )
        return created(_plan(plan_id), ".PlanView", plan_id=plan_id)


@blp.route("/development-plans/<uuid:plan_id>")
class PlanView(MethodView):
    @blp.response(200, PlanSchema)
    def get(self, plan_id: UUID) -> DevelopmentPlan:
        """Show a development plan."""
        return _plan(plan_id)


@blp.route("/development-plans/<uuid:plan_id>/document.pdf")
class PlanDocument(MethodView):
    @blp.arguments(plan_document.PlanDocumentArgsSchema, location="query")
    @blp.doc(responses=plan_document.PDF_DOC)
    def get(self, args: dict[str, Any], plan_id: UUID) -> Response:
        """The plan as a document (tagged PDF) in the reader's language, for whoever may read
        the plan; downloaded as OPP-<id>-<date>.pdf."""
        return plan_document.response(_plan(plan_id), args)


def _plan_action(path: str, schema: type, command: type, handler: Any, doc: str) -> None:
    """Register POST <plan>/<path>: validate, run the handler, answer with the plan."""

    def post(self: MethodView, data: dict[str, Any], plan_id: UUID) -> DevelopmentPlan:
        handler(command(plan_id=plan_id, **data), uow(), actor())
        return _plan(plan_id)

    post.__doc__ = doc
    view = type(
        f"Plan{command.__name__}",
        (MethodView,),
        {"post": blp.arguments(schema)(blp.response(200, PlanSchema)(post))},
    )
    blp.route(f"/development-plans/<uuid:plan_id>/{path}")(view)


_plan_action(
    "consultation",
    ConsultationSchema,
    commands.RecordConsultation,
    handlers.record_consultation,
    "Record the consultation with the parents (OOGO).",
)
_plan_action(
    "pupil-view",
    PupilViewSchema,
    commands.RecordPupilView,
    handlers.record_pupil_view,
    "Record that the pupil was heard.",
)
_plan_action(
    "action-plan",
    ActionPlanSchema,
    commands.ChangeActionPlan,
    handlers.change_action_plan,
    "Change the action plan; it needs fresh consent.",
)
_plan_action(
    "consent-request",
    ConsentRequestSchema,
    commands.RequestConsent,
    handlers.request_consent,
    "Ask the parents to consent to the action plan.",
)
_plan_action(
    "consent",
    ConsentInSchema,
    commands.RecordConsent,
    handlers.record_consent,
    "Record the parents' consent (agreed activates the plan, declined keeps it inactive).",
)


@blp.route("/development-plans/<uuid:plan_id>/online-consent")
class PlanOnlineConsent(MethodView):
    @blp.arguments(OnlineConsentSchema)
    @blp.response(200, PlanSchema)
    def post(self, data: dict[str, Any], plan_id: UUID) -> DevelopmentPlan:
        """A guardian agrees or declines online, naming the version read (`content_hash`); a
        plan changed since is a 409. Recorded with channel `online`, when and from where."""
        answer = guardian_access.OnlineAnswer(
            plan_id=plan_id, from_address=request.remote_addr or "-", **data
        )
        guardian_access.answer_online(answer, uow(), actor())
        return _plan(plan_id)


@blp.route("/development-plans/<uuid:plan_id>/parents-view")
class PlanParentsView(MethodView):
    @blp.arguments(ParentsViewInSchema)
    @blp.response(200, PlanSchema)
    def post(self, data: dict[str, Any], plan_id: UUID) -> DevelopmentPlan:
        """(a guardian of the pupil) Write the parents' own view (ouderdeel) on the plan, or
        rewrite it: kept with which guardian and when, shown in the plan as `parents_view`,
        never in an event."""
        guardian_access.write_parents_view(plan_id, data["text"], uow(), actor())
        return _plan(plan_id)


@blp.route("/development-plans/<uuid:plan_id>/evaluations")
class PlanEvaluations(MethodView):
    @blp.arguments(ScheduleEvaluationSchema)
    @blp.response(201, PlanSchema, headers=LOCATION)
    def post(self, data: dict[str, Any], plan_id: UUID) -> Any:
        """Schedule an extra evaluation with the parents; Location names the new evaluation."""
        evaluation_id = handlers.schedule_evaluation(
            commands.ScheduleEvaluation(plan_id=plan_id, **data), uow(), actor()
        )
        return created(
            _plan(plan_id), ".PlanEvaluationView", plan_id=plan_id, evaluation_id=evaluation_id
        )


@blp.route("/development-plans/<uuid:plan_id>/evaluations/<uuid:evaluation_id>")
class PlanEvaluationView(MethodView):
    @blp.response(200, PlanEvaluationSchema)
    def get(self, plan_id: UUID, evaluation_id: UUID) -> Any:
        """Show one evaluation of a plan."""
        for evaluation in _plan(plan_id).evaluations:
            if evaluation.id == evaluation_id:
                return evaluation
        raise NotFound("No such evaluation of this plan.")

    @blp.arguments(ScheduleEvaluationSchema)
    @blp.response(200, PlanSchema)
    def patch(self, data: dict[str, Any], plan_id: UUID, evaluation_id: UUID) -> DevelopmentPlan:
        """Move a scheduled evaluation to another date."""
        handlers.reschedule_evaluation(
            commands.RescheduleEvaluation(plan_id=plan_id, evaluation_id=evaluation_id, **data),
            uow(),
            actor(),
        )
        return _plan(plan_id)


@blp.route("/development-plans/<uuid:plan_id>/evaluations/<uuid:evaluation_id>/meeting")
class PlanEvaluationMeeting(MethodView):
    @blp.arguments(MeetingSchema)
    @blp.response(200, PlanSchema)
    def put(self, data: dict[str, Any], plan_id: UUID, evaluation_id: UUID) -> DevelopmentPlan:
        """Plan the evaluation meeting, or move it; everyone invited gets a calendar update."""
        handlers.plan_meeting(
            commands.PlanMeeting(plan_id=plan_id, evaluation_id=evaluation_id, **data),
            uow(),
            actor(),
        )
        return _plan(plan_id)

    @blp.response(200, PlanSchema)
    def delete(self, plan_id: UUID, evaluation_id: UUID) -> DevelopmentPlan:
        """Cancel the evaluation meeting; the calendar entries are withdrawn."""
        handlers.cancel_meeting(
            commands.CancelMeeting(plan_id=plan_id, evaluation_id=evaluation_id), uow(), actor()
        )
        return _plan(plan_id)


@blp.route("/development-plans/<uuid:plan_id>/evaluation")
class PlanEvaluation(MethodView):
    @blp.arguments(EvaluatePlanSchema)
    @blp.response(200, CaseSchema)
    def post(self, data: dict[str, Any], plan_id: UUID) -> Case:
        """Evaluate the plan: continue (next date), back to basic support, or refer."""
        handlers.evaluate_plan(commands.EvaluatePlan(plan_id=plan_id, **data), uow(), actor())
        case_id = _plan(plan_id).case_id
        with read_session() as session:
            return queries.get_case(session, actor(), case_id, today())


@blp.route("/referrals/<uuid:referral_id>/admission-statement")
class AdmissionStatement(MethodView):
    @blp.arguments(AdmissionStatementSchema)
    @blp.response(200, CaseSchema)
    def post(self, data: dict[str, Any], referral_id: UUID) -> Case:
        """Record the admission statement (TLV) granted on a referral."""
        case_id = handlers.record_admission_statement(
            commands.RecordAdmissionStatement(referral_id=referral_id, **data), uow(), actor()
        )
        with read_session() as session:
            return queries.get_case(session, actor(), case_id, today())
