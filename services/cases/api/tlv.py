"""The TLV application of a referral (issue 14): the school's draft, the parents' view and
agreement, the director's sign-off, the submission, the partnership's advices and decision, and
the decision letter. Parents use the same paths with their own token (their own child only).

Every answer carries an ETag `"application-vN"`; a change sent with If-Match naming an older
version is refused (412 edited_elsewhere) and writes nothing. Every call is audited
(audit_hooks.AUDITED: /api/v1/referrals, /api/v1/applications).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Response, g
from flask.views import MethodView
from flask_smorest import Blueprint

from services.cases.api import tlv_letter
from services.cases.api.common import actor, container, if_match_version
from services.cases.api.tlv_schemas import (
    ApplicationArgsSchema,
    ApplicationPageSchema,
    ApplicationSchema,
    ApplicationStateSchema,
    DraftInSchema,
    LetterArgsSchema,
    TlvAdviceInSchema,
    TlvAgreementInSchema,
    TlvDecisionInSchema,
    TlvParentsViewInSchema,
    TlvSignOffInSchema,
    TlvSubmitInSchema,
)
from services.cases.service_layer import tlv as handlers
from shared.auth import Role
from shared.errors import Forbidden
from shared.web import LOCATION, created

blp = Blueprint(
    "tlv",
    __name__,
    url_prefix="/api/v1",
    description="TLV applications: the school's application for an admission statement and the "
    "partnership's advices and decision.",
)

ETAG_PREFIX = "application-v"
BASE = "/referrals/<uuid:referral_id>/application"


def if_match() -> int | None:
    """The application version the request's If-Match names (None: no precondition)."""
    return if_match_version(ETAG_PREFIX, "application", "application")


@blp.after_request
def _etag(response: Response) -> Response:
    version = g.get("application_version")
    if version is not None and response.status_code < 300:
        response.headers["ETag"] = f'"{ETAG_PREFIX}{version}"'
    return response


def _uow() -> Any:
    return container().uow()


def _shown(referral_id: UUID) -> dict[str, Any]:
    shown = handlers.get_application(_uow(), actor(), referral_id)
    g.application_version = shown["version"]
    return shown


def _step(referral_id: UUID, data: dict[str, Any] | None = None) -> handlers.Step:
    return handlers.Step(referral_id, data or {}, if_match())


@blp.route(BASE)
class Application(MethodView):
    @blp.arguments(DraftInSchema)
    @blp.response(201, ApplicationSchema, headers=LOCATION)
    def post(self, data: dict[str, Any], referral_id: UUID) -> Any:
        """(the school's coordinator) Start the TLV application of a referral: the plan and its
        evaluations by reference, chosen documents of the case, the school's motivation."""
        handlers.create_application(handlers.Draft(referral_id, **data), _uow(), actor())
        return created(_shown(referral_id), ".Application", referral_id=referral_id)

    @blp.response(200, ApplicationSchema)
    def get(self, referral_id: UUID) -> dict[str, Any]:
        """Show the application (a consultant: once submitted, with the shared documents)."""
        return _shown(referral_id)

    @blp.arguments(DraftInSchema)
    @blp.response(200, ApplicationSchema)
    def patch(self, data: dict[str, Any], referral_id: UUID) -> dict[str, Any]:
        """(the coordinator) Change the draft's documents or motivation; the director's
        sign-off is asked again."""
        cmd = handlers.Draft(referral_id, expected_version=if_match(), **data)
        handlers.change_draft(cmd, _uow(), actor())
        return _shown(referral_id)


def _action(path: str, schema: type, handler: Any, doc: str, status: int = 200) -> None:
    """Register POST <application>/<path>: validate, run the handler, answer the application."""

    def post(self: MethodView, data: dict[str, Any], referral_id: UUID) -> Any:
        handler(_step(referral_id, data), _uow(), actor())
        if status == 201:
            return created(_shown(referral_id), ".Application", referral_id=referral_id)
        return _shown(referral_id)

    post.__doc__ = doc
    respond = blp.response(status, ApplicationSchema, headers=LOCATION if status == 201 else None)
    name = "Application" + "".join(part.title() for part in path.split("-"))
    view = type(name, (MethodView,), {"post": blp.arguments(schema)(respond(post))})
    blp.route(f"{BASE}/{path}")(view)


_action(
    "parents-view",
    TlvParentsViewInSchema,
    handlers.record_parents_view,
    "The parents' view (zienswijze): written by a guardian online, or recorded by the "
    "coordinator. Never in an event.",
)
_action("sign-off", TlvSignOffInSchema, handlers.sign_off, "(the school's director) Sign it off.")
_action(
    "parents-agreement",
    TlvAgreementInSchema,
    handlers.record_parents_agreement,
    "The parents agree or decline: a guardian online, or the coordinator from paper (naming "
    "the guardians). The partnership's consent_from (all) may ask every guardian.",
)
_action(
    "submit",
    TlvSubmitInSchema,
    handlers.submit,
    "(the coordinator) Submit to the partnership; without the parents' agreement it is "
    "flagged (parents_agreed false). decide_by: the day plus tlv_decision_weeks.",
)
_action(
    "advices",
    TlvAdviceInSchema,
    handlers.record_advice,
    "(a consultant) Record an expert advice; with the second (one of them by an "
    "orthopedagoog or psycholoog) the application is ready for the decision.",
    status=201,
)
_action(
    "decision",
    TlvDecisionInSchema,
    handlers.decide,
    "(a consultant) Decide: granted (sbo, or so with a category; from valid_from to a 31 July "
    "at least one school year on) or refused. A grant records the admission statement.",
)


@blp.route(f"{BASE}/decision-letter.pdf")
class DecisionLetter(MethodView):
    @blp.arguments(LetterArgsSchema, location="query")
    @blp.doc(responses=tlv_letter.PDF_DOC)
    def get(self, args: dict[str, Any], referral_id: UUID) -> Response:
        """The decision letter (PDF, nl or en) with the way to object, for whoever may read
        the application once it is decided."""
        return tlv_letter.response(_shown(referral_id), args)


@blp.route("/applications")
class Applications(MethodView):
    @blp.arguments(ApplicationArgsSchema, location="query")
    @blp.response(200, ApplicationPageSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """The applications one works on: a consultant's partnership's (submitted and later),
        a coordinator's or director's school's (drafts too); by status and school."""
        items, total = handlers.list_applications(
            _uow(),
            actor(),
            status=args["status"],
            school_id=args["school_id"],
            page=args["page"],
            page_size=args["page_size"],
        )
        return {
            "items": items,
            "page": args["page"],
            "page_size": args["page_size"],
            "total": total,
        }


@blp.route("/internal/applications/<uuid:referral_id>")
class ApplicationState(MethodView):
    @blp.response(200, ApplicationStateSchema)
    def get(self, referral_id: UUID) -> dict[str, Any]:
        """(service accounts) Where a referral's TLV application stands: status, submitted_on,
        parents_agreed, decide_by, decision, decided_on — ids, codes and dates only, for a
        reminder's re-check at send time; 404 without one."""
        if actor().role is not Role.SERVICE:
            raise Forbidden("Only service accounts read application states.")
        return handlers.application_state(_uow(), referral_id)
